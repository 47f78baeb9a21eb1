import Foundation
import XCTest
@testable import Datasets

/// Fetch, verify, extract and read through generated archives in the official formats.
final class CIFARFetcherTests: XCTestCase {
    private func offlineFetcher(_ dataDir: URL, cache: URL? = nil) -> CIFARFetcher {
        var fetcher = CIFARFetcher(dataDirectory: dataDir, cacheDirectory: cache)
        fetcher.allowDownload = false
        return fetcher
    }

    private func leftovers(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".bce3s") }
    }

    func testSyntheticCIFAR10RoundTripsThroughFetchAndReader() throws {
        let dir = try temporaryDirectory(self)
        let manifest = try SyntheticCIFAR.write(.cifar10, to: dir, perClass: 4, testPerClass: 2, seed: 1)
        XCTAssertEqual(manifest.files.count, 6)
        let dataset = try offlineFetcher(dir).load(.cifar10)
        XCTAssertTrue(dataset.isSynthetic)
        XCTAssertEqual(dataset.train.count, 40)
        XCTAssertEqual(dataset.test.count, 20)
        XCTAssertEqual(dataset.train.classCounts(classCount: 10), [Int](repeating: 4, count: 10))
        XCTAssertNil(dataset.train.coarseLabels)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("cifar-10-batches-bin/data_batch_5.bin").path))
        // Second time: the extracted folder is found and verified, the result identical.
        let again = try offlineFetcher(dir).load(.cifar10)
        XCTAssertEqual(again.train.pixels, dataset.train.pixels)
        XCTAssertEqual(again.train.labels, dataset.train.labels)
        XCTAssertEqual(try leftovers(in: dir), [])
    }

    func testSyntheticCIFAR100KeepsCoarseLabels() throws {
        let dir = try temporaryDirectory(self)
        try SyntheticCIFAR.write(.cifar100, to: dir, perClass: 2, testPerClass: 1, seed: 2)
        let dataset = try offlineFetcher(dir).load(.cifar100)
        XCTAssertEqual(dataset.train.count, 200)
        XCTAssertEqual(dataset.test.count, 100)
        let coarse = try XCTUnwrap(dataset.train.coarseLabels)
        XCTAssertEqual(coarse, dataset.train.labels.map { $0 / 5 })
    }

    func testReaderParsesRecordLayout() throws {
        var record = [UInt8](repeating: 0, count: 3074)
        record[0] = 19; record[1] = 99; record[2] = 7; record[3073] = 200
        let images = try CIFARReader.parse(record + record, name: "x.bin", format: .cifar100)
        XCTAssertEqual(images.labels, [99, 99])
        XCTAssertEqual(images.coarseLabels, [19, 19])
        XCTAssertEqual(images.pixels[0], 7)
        XCTAssertEqual(images.pixels[3071], 200)
        XCTAssertThrowsError(try CIFARReader.parse(Array(record.dropLast()), name: "x.bin", format: .cifar100)) {
            XCTAssertTrue("\($0)".contains("x.bin: wrong size"), "\($0)")
        }
        var badLabel = record
        badLabel[1] = 100
        XCTAssertThrowsError(try CIFARReader.parse(badLabel, name: "y.bin", format: .cifar100)) {
            XCTAssertEqual($0 as? DatasetError, .badLabel(file: "y.bin", record: 0, label: 100, classCount: 100))
        }
    }

    func testTruncatedArchiveIsRejectedAndNothingIsLeftInTheCache() throws {
        let dir = try temporaryDirectory(self), cache = try temporaryDirectory(self)
        let manifest = try SyntheticCIFAR.write(.cifar10, to: dir, perClass: 3, testPerClass: 1, seed: 3)
        let archive = dir.appendingPathComponent("cifar-10-binary.tar.gz")
        let bytes = try Data(contentsOf: archive)
        try bytes.prefix(bytes.count / 2).write(to: archive)
        XCTAssertThrowsError(try offlineFetcher(dir, cache: cache).load(.cifar10)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(archive.path), message)
            XCTAssertTrue(message.contains("expected \(manifest.archiveSHA256)"), message)
            XCTAssertTrue(message.contains("actual \(Checksums.sha256Hex(bytes.prefix(bytes.count / 2)))"), message)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache.path), [])
    }

    func testWrongLayoutNamesTheMissingFile() throws {
        let dir = try temporaryDirectory(self), staging = try temporaryDirectory(self)
        try SyntheticCIFAR.write(.cifar10, to: staging, perClass: 3, testPerClass: 1, seed: 4)
        try FileManager.default.copyItem(at: staging.appendingPathComponent("cifar10.synthetic.json"),
                                         to: dir.appendingPathComponent("cifar10.synthetic.json"))
        // Repack without data_batch_5.bin.
        try FileStaging.runTar(["-xzf", staging.appendingPathComponent("cifar-10-binary.tar.gz").path, "-C", staging.path])
        try FileManager.default.removeItem(at: staging.appendingPathComponent("cifar-10-batches-bin/data_batch_5.bin"))
        try FileStaging.runTar(["-czf", dir.appendingPathComponent("cifar-10-binary.tar.gz").path,
                                "-C", staging.path, "cifar-10-batches-bin"])
        try FileManager.default.removeItem(at: staging.appendingPathComponent("cifar-10-batches-bin"))
        let cache = try temporaryDirectory(self)
        XCTAssertThrowsError(try offlineFetcher(dir, cache: cache).prepare(.cifar10)) { error in
            XCTAssertTrue("\(error)".contains("wrong layout: expected the file cifar-10-batches-bin/data_batch_5.bin"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache.path), [])
    }

    func testModifiedExtractedFileNamesFileExpectedAndActual() throws {
        let dir = try temporaryDirectory(self)
        let manifest = try SyntheticCIFAR.write(.cifar10, to: dir, perClass: 3, testPerClass: 1, seed: 5)
        _ = try offlineFetcher(dir).prepare(.cifar10)
        let file = dir.appendingPathComponent("cifar-10-batches-bin/test_batch.bin")
        var bytes = try Data(contentsOf: file)
        bytes[10] ^= 0xFF
        try bytes.write(to: file)
        XCTAssertThrowsError(try offlineFetcher(dir).load(.cifar10)) { error in
            XCTAssertEqual(error as? DatasetError, .checksumMismatch(
                file: file.path, expected: .sha256(manifest.files["cifar-10-batches-bin/test_batch.bin"]!),
                actual: .sha256(Checksums.sha256Hex(bytes))))
        }
    }

    /// Without the synthetic manifest, files named like the official ones must match the
    /// official checksums.
    func testOfficialChecksumsAreEnforcedWithoutManifest() throws {
        for kind in CIFARKind.allCases {
            let synthetic = try temporaryDirectory(self), dir = try temporaryDirectory(self)
            try SyntheticCIFAR.write(kind, to: synthetic, perClass: 2, testPerClass: 1, seed: 6)
            try FileManager.default.copyItem(at: synthetic.appendingPathComponent(kind.format.archiveName),
                                             to: dir.appendingPathComponent(kind.format.archiveName))
            XCTAssertThrowsError(try offlineFetcher(dir).load(kind)) { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains("md5 expected \(kind.format.archiveMD5)"), message)
                let firstFile = kind.format.trainFiles[0]
                XCTAssertTrue(message.contains(kind.format.officialContentChecksums[firstFile]!.hex), message)
                // Issue 17 case 9: generated data whose manifest is missing is called so.
                XCTAssertTrue(message.contains("holds generated data (bce3s data synth)"), message)
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent(kind.format.folderName).path))
            XCTAssertEqual(try leftovers(in: dir), [])
        }
        XCTAssertEqual(CIFARFormat.cifar100.officialContentChecksums["cifar-100-binary/train.bin"],
                       .sha1("e207cd2e05b73b1393c74c7f5e7bea451d63e08e"))
    }

    func testOfflineWithoutArchiveSaysWhereToPutWhichFile() throws {
        let dir = try temporaryDirectory(self)
        XCTAssertThrowsError(try offlineFetcher(dir).prepare(.cifar100)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("Put cifar-100-binary.tar.gz"), message)
            XCTAssertTrue(message.contains("03b5dce01913d631647c71ecec9e9cb8"), message)
            XCTAssertTrue(message.contains("into \(dir.standardizedFileURL.path)"), message)
        }
    }

    func testSynthRefusesToOverwriteANonSyntheticArchive() throws {
        let dir = try temporaryDirectory(self)
        try Data([1, 2, 3]).write(to: dir.appendingPathComponent("cifar-10-binary.tar.gz"))
        XCTAssertThrowsError(try SyntheticCIFAR.write(.cifar10, to: dir, perClass: 2, testPerClass: 1, seed: 0))
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("cifar-10-binary.tar.gz")), Data([1, 2, 3]))
    }
}

/// Downloading through URLSession, exercised with a file:// URL (no network).
final class DownloaderTests: XCTestCase {
    func testDownloadFromMirrorVerifiesAndExtracts() throws {
        let mirror = try temporaryDirectory(self), dir = try temporaryDirectory(self)
        let manifest = try SyntheticCIFAR.write(.cifar10, to: mirror, perClass: 2, testPerClass: 1, seed: 7)
        try FileManager.default.copyItem(at: mirror.appendingPathComponent("cifar10.synthetic.json"),
                                         to: dir.appendingPathComponent("cifar10.synthetic.json"))
        var fetcher = CIFARFetcher(dataDirectory: dir)
        fetcher.downloadURL = mirror.appendingPathComponent("cifar-10-binary.tar.gz")
        let progress = ProgressLog()
        fetcher.downloadProgress = { received, _ in progress.record(received) }
        let data = try fetcher.load(.cifar10)
        XCTAssertEqual(data.train.count, 20)
        let archive = dir.appendingPathComponent("cifar-10-binary.tar.gz")
        XCTAssertEqual(try Checksums.digest(ofFileAt: archive, like: .sha256("")).hex, manifest.archiveSHA256)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }, [])
    }

    func testFailedDownloadExplainsWhereToPutTheFile() throws {
        let dir = try temporaryDirectory(self)
        var fetcher = CIFARFetcher(dataDirectory: dir)
        fetcher.downloadURL = dir.appendingPathComponent("no-such-mirror/cifar-10-binary.tar.gz")
        XCTAssertThrowsError(try fetcher.prepare(.cifar10)) { error in
            XCTAssertTrue("\(error)".contains("Put cifar-10-binary.tar.gz"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("cifar-10-binary.tar.gz").path))
    }
}

private final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Int64] = []
    func record(_ value: Int64) { lock.lock(); values.append(value); lock.unlock() }
}

/// A read-only data directory (like the shared real-data folder) is never written to, even by root.
final class ReadOnlyDataDirectoryTests: XCTestCase {
    func testExtractionGoesToTheCacheWhenTheDataDirectoryIsReadOnly() throws {
        let dir = try temporaryDirectory(self), cacheHome = try temporaryDirectory(self)
        try SyntheticCIFAR.write(.cifar10, to: dir, perClass: 2, testPerClass: 1, seed: 8)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
        addTeardownBlock { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path) }
        let cache = CIFARFetcher.defaultCacheDirectory(for: dir, cacheHome: cacheHome)
        XCTAssertTrue(cache.path.hasPrefix(cacheHome.path), cache.path)
        var fetcher = CIFARFetcher(dataDirectory: dir, cacheDirectory: cache)
        fetcher.allowDownload = false
        XCTAssertEqual(try fetcher.load(.cifar10).train.count, 20)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(),
                       ["cifar-10-binary.tar.gz", "cifar10.synthetic.json"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: cache.appendingPathComponent("cifar-10-batches-bin").path))
    }
}

/// Two processes (e.g. two pipeline workers) fetching the same dataset at once.
final class ConcurrentFetchTests: XCTestCase {
    func testConcurrentFirstFetchesAllSucceed() throws {
        let dir = try temporaryDirectory(self)
        try SyntheticCIFAR.write(.cifar10, to: dir, perClass: 20, testPerClass: 2, seed: 9)
        let group = DispatchGroup()
        let results = ResultBox()
        for _ in 0..<3 {
            DispatchQueue.global().async(group: group) {
                var fetcher = CIFARFetcher(dataDirectory: dir)
                fetcher.allowDownload = false
                do { results.add(try fetcher.load(.cifar10).train.count) } catch { results.add(error) }
            }
        }
        group.wait()
        XCTAssertEqual(results.counts, [200, 200, 200], "\(results.errors)")
    }
}

private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var counts: [Int] = []
    private(set) var errors: [String] = []
    func add(_ count: Int) { lock.lock(); counts.append(count); lock.unlock() }
    func add(_ error: Error) { lock.lock(); errors.append("\(error)"); lock.unlock() }
}
