import XCTest
@testable import Datasets

final class SyntheticImagesTests: XCTestCase {
    /// 3 × 4 × 4 block means of an image (8×8 blocks): a cheap feature for the check below.
    private func blockMeans(_ images: LabeledImages, _ i: Int) -> [Double] {
        var feature = [Double](repeating: 0, count: 48)
        let base = i * CIFARFormat.imageBytes
        for c in 0..<3 {
            for y in 0..<32 {
                for x in 0..<32 {
                    feature[c * 16 + (y / 8) * 4 + x / 8] += Double(images.pixels[base + c * 1024 + y * 32 + x]) / 64
                }
            }
        }
        return feature
    }

    /// The generated classes must be learnable: a nearest-class-mean classifier on block means
    /// beats chance by far, yet two images of a class are never copies of a template.
    func testClassesAreSeparableByNearestMean() {
        for classCount in [10, 100] {
            let train = LoaderBenchmark.generatedImages(count: classCount * 10, classCount: classCount, seed: 1)
            let test = LoaderBenchmark.generatedImages(count: classCount * 3, classCount: classCount, seed: 2)
            var means = [[Double]](repeating: [Double](repeating: 0, count: 48), count: classCount)
            for i in 0..<train.count {
                let feature = blockMeans(train, i)
                for k in 0..<48 { means[train.labels[i]][k] += feature[k] / 10 }
            }
            var correct = 0
            for i in 0..<test.count {
                let feature = blockMeans(test, i)
                var best = 0, bestDistance = Double.infinity
                for (c, mean) in means.enumerated() {
                    var distance = 0.0
                    for k in 0..<48 { distance += (mean[k] - feature[k]) * (mean[k] - feature[k]) }
                    if distance < bestDistance { (best, bestDistance) = (c, distance) }
                }
                if best == test.labels[i] { correct += 1 }
            }
            let accuracy = Double(correct) / Double(test.count)
            XCTAssertGreaterThan(accuracy, 5.0 / Double(classCount), "\(classCount) classes: accuracy \(accuracy)")
            let size = CIFARFormat.imageBytes
            XCTAssertNotEqual(Array(train.pixels[0..<size]), Array(train.pixels[classCount * size..<(classCount + 1) * size]),
                              "two images of class 0 differ")
        }
    }
}
