import XCTest
@testable import Datasets

final class LongTailTests: XCTestCase {
    func testExponentialCountsMatchMethodTotals() {
        let cifar10 = ImbalanceProfile.exponential.counts(classCount: 10, maxPerClass: 5000, imbalance: 100)
        XCTAssertEqual(cifar10, [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50])
        let totals10 = [100.0, 50, 10].map { ImbalanceProfile.exponential.counts(classCount: 10, maxPerClass: 5000, imbalance: $0).reduce(0, +) }
        XCTAssertEqual(totals10, [12406, 13996, 20431])
        let totals100 = [100.0, 50, 10].map { ImbalanceProfile.exponential.counts(classCount: 100, maxPerClass: 500, imbalance: $0).reduce(0, +) }
        XCTAssertEqual(totals100, [10847, 12608, 19573])
    }

    func testStepProfile() {
        XCTAssertEqual(ImbalanceProfile.step.counts(classCount: 10, maxPerClass: 5000, imbalance: 100),
                       [5000, 5000, 5000, 5000, 5000, 50, 50, 50, 50, 50])
    }

    /// Every subset of Fixtures/numpy_golden.json (both datasets, IF 100/50/10, both profiles
    /// and policies) on the scrambled balanced labels the script also uses.
    func testSubsetsMatchNumPyReference() throws {
        let subsets = try XCTUnwrap(Fixture.json("numpy_golden.json")["subsets"] as? [[String: Any]])
        XCTAssertEqual(subsets.count, 24)
        for entry in subsets {
            let classes = entry["dataset"] as? String == "cifar10" ? 10 : 100
            let labels = (0..<50000).map { (($0 * 7919) % 50000) % classes }
            let profile = try XCTUnwrap(ImbalanceProfile(rawValue: entry["profile"] as! String))
            let policy = try XCTUnwrap(SelectionPolicy(rawValue: entry["policy"] as! String))
            let counts = profile.counts(classCount: classes, maxPerClass: 50000 / classes,
                                        imbalance: Double(entry["imbalance"] as! Int))
            let subset = LongTailSubset(labels: labels, counts: counts, policy: policy)
            let context = "\(entry["dataset"]!) IF \(entry["imbalance"]!) \(profile) \(policy)"
            XCTAssertEqual(subset.counts, entry["counts"] as? [Int], context)
            XCTAssertEqual(subset.total, entry["total"] as? Int, context)
            XCTAssertEqual(Array(subset.indices.prefix(8)), entry["first"] as? [Int], context)
            XCTAssertEqual(subset.indicesSHA256, entry["indices_sha256"] as? String, context)
        }
    }

    func testFirstPolicyKeepsFileOrder() {
        let labels = [1, 0, 1, 0, 0, 1, 1]
        let subset = LongTailSubset(labels: labels, counts: [2, 3], policy: .first)
        XCTAssertEqual(subset.indices, [1, 3, 0, 2, 5])
        XCTAssertEqual(subset.counts, [2, 3])
    }

    func testShotGroupsStandardAndBCE3SRules() {
        let counts = ImbalanceProfile.exponential.counts(classCount: 100, maxPerClass: 500, imbalance: 100)
        let standard = ShotGroupRule.standard.classes(classCounts: counts)
        XCTAssertEqual([standard[.many]!.count, standard[.medium]!.count, standard[.few]!.count], [35, 35, 30])
        XCTAssertEqual(ShotGroupRule.standard.group(forCount: 20), .medium)
        XCTAssertEqual(ShotGroupRule.bce3sCode.group(forCount: 20), .few)
        XCTAssertEqual(ShotGroupRule.standard.group(forCount: 100), .medium)
        XCTAssertEqual(ShotGroupRule.standard.group(forCount: 101), .many)
        let cifar10 = ShotGroupRule.standard.classes(classCounts:
            ImbalanceProfile.exponential.counts(classCount: 10, maxPerClass: 5000, imbalance: 100))
        XCTAssertEqual(cifar10[.few], [], "CIFAR-10-LT has no Few group")
        XCTAssertEqual(ShotGroupRule(manyAbove: 1000, fewBelow: 100).groups(classCounts: [5000, 500, 50]), [.many, .medium, .few])
    }
}

final class LongTailBalancedInitTests: XCTestCase {
    func testNMaxComesFromTheBalancedSet() throws {
        let labels = (0..<500).map { $0 % 10 }   // 50 per class, like a generated dataset
        let subset = try LongTailSubset(balancedLabels: labels, classCount: 10, profile: .exponential, imbalance: 10, policy: .first)
        XCTAssertEqual(subset.counts, ImbalanceProfile.exponential.counts(classCount: 10, maxPerClass: 50, imbalance: 10))
        XCTAssertEqual(subset.counts.first, 50)
        XCTAssertEqual(subset.counts.last, 5)
    }

    /// Issue 17 case 9: `--imbalance 1e9` or `inf` trained with empty classes.
    func testAnImbalanceThatEmptiesAClassIsRefused() {
        let labels = (0..<500).map { $0 % 10 }
        for factor in [1e9, 51, Double.infinity, .nan, 0.5] {
            XCTAssertThrowsError(try LongTailSubset(balancedLabels: labels, classCount: 10, profile: .exponential,
                                                    imbalance: factor, policy: .first), "\(factor)") { error in
                XCTAssertTrue("\(error)".contains("imbalance factor"), "\(error)")
            }
        }
        XCTAssertEqual(try LongTailSubset(balancedLabels: labels, classCount: 10, profile: .exponential, imbalance: 50,
                                          policy: .first).counts.last, 1)
        XCTAssertThrowsError(try LongTailSubset(balancedLabels: labels, classCount: 10, profile: .step, imbalance: 51, policy: .first))
    }
}
