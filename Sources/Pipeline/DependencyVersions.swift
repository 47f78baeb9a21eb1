import Foundation

/// The Swift package versions a build resolved, read from `Package.resolved`, recorded with each
/// run beside its code version (`run.dependencies`), so a stored result names every version of
/// the code that made it.
public enum DependencyVersions {
    /// `"GRDB.swift 7.10.0, Yams 6.2.2, …"` (sorted by package name; a pin without a version
    /// shows its revision's first 12 characters), or nil when `data` is not a `Package.resolved`.
    public static func summary(ofPackageResolved data: Data) -> String? {
        struct Resolved: Decodable {
            struct Pin: Decodable {
                struct State: Decodable { let version: String?; let revision: String? }
                let identity: String
                let location: String
                let state: State
            }
            let pins: [Pin]
        }
        guard let resolved = try? JSONDecoder().decode(Resolved.self, from: data) else { return nil }
        return resolved.pins.map { pin -> String in
            var name = URL(string: pin.location)?.lastPathComponent ?? pin.identity
            if name.hasSuffix(".git") { name.removeLast(4) }
            return "\(name) \(pin.state.version ?? String((pin.state.revision ?? "unknown").prefix(12)))"
        }.sorted { $0.lowercased() < $1.lowercased() }.joined(separator: ", ")
    }

    /// The summary of `Package.resolved` in `directory` (the bce3s source tree `bce3s run` is run
    /// in, as for the git code version), or nil when it has none.
    public static func current(in directory: URL) -> String? {
        (try? Data(contentsOf: directory.appendingPathComponent("Package.resolved"))).flatMap(summary(ofPackageResolved:))
    }
}
