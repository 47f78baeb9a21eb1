import XCTest
@testable import Datasets

final class AugmentationTests: XCTestCase {
    private func ramp() -> RGBImage {
        RGBImage(width: 4, height: 3, pixels: (0..<36).map { UInt8($0 + 1) })
    }

    func testPaddedCropShiftsAndZeroFills() {
        let image = ramp()
        XCTAssertEqual(image.paddedCrop(padding: 2, left: 2, top: 2), image, "centre window is the image")
        let shifted = image.paddedCrop(padding: 2, left: 3, top: 2)   // one pixel right
        XCTAssertEqual(Array(shifted.pixels[0..<4]), [2, 3, 4, 0])
        let corner = image.paddedCrop(padding: 2, left: 0, top: 0)
        XCTAssertEqual(Array(corner.pixels[0..<4]), [0, 0, 0, 0])
        XCTAssertEqual(corner.pixels[2 * 4 + 2], 1, "source (0,0) lands at (2,2)")
    }

    func testRandomCropCoversAllNineOffsetsPerAxis() {
        var rng = SplitMix64(seed: 1)
        var tops = Set<Int>()
        let image = RGBImage(width: 32, height: 32, pixels: (0..<3072).map { UInt8($0 % 251) })
        for _ in 0..<400 {
            let crop = image.randomCrop(rng: &rng)
            // Find the vertical offset from where row 0 of the source lands.
            tops.insert((0..<32).first { crop.pixels[$0 * 32 + 16] != 0 } ?? -1)
        }
        XCTAssertEqual(tops, Set(0...4), "first source row lands on crop rows 0…4 (offsets 0…8)")
    }

    func testFlipMirrorsEveryRowOfEveryChannel() {
        let image = ramp(), flipped = image.flippedHorizontally()
        XCTAssertEqual(Array(flipped.pixels[0..<4]), [4, 3, 2, 1])
        XCTAssertEqual(Array(flipped.pixels[32..<36]), [36, 35, 34, 33])
        XCTAssertEqual(flipped.flippedHorizontally(), image)
    }

    func testHWCRoundTrip() {
        let image = ramp()
        XCTAssertEqual(RGBImage(width: 4, height: 3, interleaved: image.interleaved), image)
        XCTAssertEqual(Array(image.interleaved[0..<3]), [1, 13, 25])
    }

    func testCutoutBoxIsClippedSixteenSquare() {
        var rng = SplitMix64(seed: 4)
        var sawClipped = false, sawFull = false
        for _ in 0..<500 {
            let box = Cutout(size: 16).box(width: 32, height: 32, rng: &rng)
            XCTAssertTrue(box.x1 >= 0 && box.x2 <= 32 && box.y1 >= 0 && box.y2 <= 32)
            XCTAssertLessThanOrEqual(box.area, 256)
            if box.area == 256 { sawFull = true } else { sawClipped = true }
        }
        XCTAssertTrue(sawClipped && sawFull)
        var image = [Float](repeating: 1, count: 3 * 32 * 32)
        var seeded = SplitMix64(seed: 5), replay = SplitMix64(seed: 5)
        image.withUnsafeMutableBufferPointer { Cutout().apply(to: $0.baseAddress!, width: 32, height: 32, rng: &seeded) }
        let box = Cutout().box(width: 32, height: 32, rng: &replay)
        XCTAssertEqual(image.filter { $0 == 0 }.count, 3 * box.area)
        XCTAssertEqual(image[(2 * 32 + box.y1) * 32 + box.x1], 0)
    }

    func testCutMixBoxMatchesLambdaAwayFromEdges() {
        var rng = SplitMix64(seed: 6)
        for lambda in [0.1, 0.5, 0.9, 1.0] {
            let box = CutMixBox.sample(lambda: lambda, width: 32, height: 32, rng: &rng)
            let side = Int(32 * (1 - lambda).squareRoot())
            XCTAssertLessThanOrEqual(box.x2 - box.x1, side + 1)
            XCTAssertTrue(box.x1 >= 0 && box.x2 <= 32 && box.y1 >= 0 && box.y2 <= 32)
            XCTAssertEqual(CutMixBox.areaLambda(box, width: 32, height: 32), 1 - Double(box.area) / 1024)
        }
        XCTAssertEqual(CutMixBox.sample(lambda: 1, width: 32, height: 32, rng: &rng).area, 0)
    }
}
