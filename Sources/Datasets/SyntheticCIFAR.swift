import Foundation

/// Writes a small generated dataset in the exact CIFAR archive format (`.tar.gz` with the
/// official folder and `.bin` record layout) plus a manifest that marks the directory as
/// synthetic, so tests and smoke runs go through the same fetch, verify and read path as the
/// real archives.
public enum SyntheticCIFAR {
    /// The most images per class and split a synthetic stand-in may have: ten times CIFAR-10's 5,000.
    public static let maximumPerClass = 50_000

    /// Generates `perClass` training and `testPerClass` test images per class with `seed`,
    /// writes `<out>/<archive>.tar.gz` and `<out>/<dataset>.synthetic.json`, and returns the
    /// manifest. Refuses to overwrite an archive that is not itself synthetic.
    @discardableResult
    public static func write(_ kind: CIFARKind, to outDirectory: URL, perClass: Int, testPerClass: Int,
                             seed: UInt64) throws -> SyntheticManifest {
        let format = kind.format
        guard perClass > 0, testPerClass > 0 else {
            throw DatasetError.invalidArgument("--per-class and --test-per-class must be positive (got \(perClass), \(testPerClass))")
        }
        // Checked before anything is written: a typo's extra digits would otherwise exhaust memory half-way.
        guard perClass <= maximumPerClass, testPerClass <= maximumPerClass else {
            throw DatasetError.invalidArgument("--per-class and --test-per-class must be at most \(maximumPerClass) "
                                               + "(ten times CIFAR-10's 5,000 training images per class; got \(perClass), \(testPerClass))")
        }
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: outDirectory, withIntermediateDirectories: true)
        let archiveURL = outDirectory.appendingPathComponent(format.archiveName)
        let manifestURL = outDirectory.appendingPathComponent(SyntheticManifest.fileName(for: kind))
        if fileManager.fileExists(atPath: archiveURL.path), !fileManager.fileExists(atPath: manifestURL.path) {
            throw DatasetError.invalidArgument("\(archiveURL.path) exists and is not synthetic: refusing to overwrite it")
        }
        let staging = try FileStaging.makeTemporaryDirectory(in: outDirectory, purpose: "synth")
        defer { try? fileManager.removeItem(at: staging) }

        var rng = SplitMix64(seed: seed, stream: 0x5359_4E54)
        let train = records(format: format, perClass: perClass, rng: &rng)
        let test = records(format: format, perClass: testPerClass, rng: &rng)
        var hashes: [String: String] = [:]
        for (files, bytes) in [(format.trainFiles, train), (format.testFiles, test)] {
            for (file, part) in zip(files, split(bytes, into: files.count, recordBytes: format.recordBytes)) {
                let url = staging.appendingPathComponent(file)
                try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(part).write(to: url)
                hashes[file] = Checksums.sha256Hex(part)
            }
        }
        try writeLabelNames(format: format, in: staging.appendingPathComponent(format.folderName))
        let stagedArchive = staging.appendingPathComponent(format.archiveName)
        try FileStaging.runTar(["--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner",
                                "-czf", stagedArchive.path, "-C", staging.path, format.folderName])
        let manifest = SyntheticManifest(
            dataset: kind.rawValue, archive: format.archiveName,
            archiveSHA256: try Checksums.digest(ofFileAt: stagedArchive, like: .sha256("")).hex,
            files: hashes, perClass: perClass, testPerClass: testPerClass, seed: seed)
        let stagedManifest = staging.appendingPathComponent(manifestURL.lastPathComponent)
        try manifest.encoded().write(to: stagedManifest)

        // Replace a previous synthetic dataset: its extracted folder would no longer verify.
        for stale in [archiveURL, manifestURL, outDirectory.appendingPathComponent(format.folderName)]
        where fileManager.fileExists(atPath: stale.path) {
            try fileManager.removeItem(at: stale)
        }
        try FileStaging.moveIntoPlace(stagedArchive, to: archiveURL)
        try FileStaging.moveIntoPlace(stagedManifest, to: manifestURL)
        return manifest
    }

    /// `perClass` records per class in a seeded random class order, in the binary record layout.
    static func records(format: CIFARFormat, perClass: Int, rng: inout SplitMix64) -> [UInt8] {
        var labels = (0..<format.classCount).flatMap { [Int](repeating: $0, count: perClass) }
        labels.shuffle(using: &rng)
        var bytes = [UInt8](repeating: 0, count: labels.count * format.recordBytes)
        for (record, label) in labels.enumerated() {
            let start = record * format.recordBytes
            if format.labelBytes == 2 { bytes[start] = UInt8(label / 5) }   // 5 fine classes per superclass
            bytes[start + format.labelBytes - 1] = UInt8(label)
            SyntheticImages.draw(label: label, classCount: format.classCount, rng: &rng,
                                 into: &bytes, offset: start + format.labelBytes)
        }
        return bytes
    }

    /// Splits records as evenly as possible over `parts` files (earlier files take the remainder).
    static func split(_ bytes: [UInt8], into parts: Int, recordBytes: Int) -> [[UInt8]] {
        let records = bytes.count / recordBytes
        var result: [[UInt8]] = []
        var start = 0
        for part in 0..<parts {
            let count = records / parts + (part < records % parts ? 1 : 0)
            result.append(Array(bytes[start * recordBytes..<(start + count) * recordBytes]))
            start += count
        }
        return result
    }

    private static func writeLabelNames(format: CIFARFormat, in folder: URL) throws {
        let names = (0..<format.classCount).map { "synthetic_class_\($0)" }.joined(separator: "\n") + "\n"
        if let coarse = format.coarseClassCount {
            try names.write(to: folder.appendingPathComponent("fine_label_names.txt"), atomically: false, encoding: .utf8)
            let coarseNames = (0..<coarse).map { "synthetic_superclass_\($0)" }.joined(separator: "\n") + "\n"
            try coarseNames.write(to: folder.appendingPathComponent("coarse_label_names.txt"), atomically: false, encoding: .utf8)
        } else {
            try names.write(to: folder.appendingPathComponent("batches.meta.txt"), atomically: false, encoding: .utf8)
        }
    }
}
