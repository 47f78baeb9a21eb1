import XCTest
@testable import Reports

/// Published numbers stand only beside runs of the same dataset and imbalance factor: a table of
/// runs in any other setting must not show them.
final class PublishedBesideOursTests: XCTestCase {
    static let otherSettings = [Setting("cifar10", 100), Setting("cifar10", 50), Setting("cifar10", 10), Setting("cifar100", 100),
                                Setting("cifar100", 50), Setting("cifar100", 10)]

    func run(_ method: String, _ setting: Setting) -> TrainResult {
        TrainResult(setting: setting, method: method, seed: 0, top1: 12.34, many: 23.45, medium: 34.56, few: 45.67)
    }

    func testMainTablePublishedValuesOnlyInTheirOwnColumn() {
        for (method, published) in PublishedNumbers.main {
            for (setting, value) in published {
                for other in Self.otherSettings where other != setting && published[other]?.value != value.value {
                    let table = ReportTables(train: [run(method, other)]).mainTable()
                    XCTAssertFalse(table.contains(String(format: "%.2f", value.value)),
                                   "\(method): the \(setting) number \(value.value) stands beside a \(other) run:\n\(table)")
                }
            }
        }
    }

    func testAblationNumbersOnlyBesideTheAblationSetting() {
        let methods = Array(PublishedNumbers.ablation.keys)
        for other in Self.otherSettings where other != PublishedNumbers.ablationSetting {
            let table = ReportTables(train: methods.map { run($0, other) }).ablationTable(setting: other)
            for (method, values) in PublishedNumbers.ablation {
                for value in values {
                    XCTAssertFalse(table.contains(String(format: "%.2f", value)), "\(method) \(value) beside \(other):\n\(table)")
                }
            }
            XCTAssertTrue(table.contains("the paper's ablation is on CIFAR-100-LT IF 100, not \(other)"), table)
        }
        let own = ReportTables(train: [run("bce_joint", PublishedNumbers.ablationSetting)]).ablationTable()
        XCTAssertTrue(own.contains("(81.11, −57.66)"), own)
    }

    func testGeometryFiguresOfUnknownSettingAreANoteNotACell() {
        let geometry = [GeometryResult(setting: Setting("cifar10", 100), method: "bce3s", seed: 0,
                                       metrics: ["compactness_mean": 91.9, "compactness_std": 2, "classifier_max_cos_std_few": 0.2])]
        let table = ReportTables(train: [], geometry: geometry).geometryTable()
        let rows = table.split(separator: "\n").filter { $0.hasPrefix("| CIFAR") }
        XCTAssertEqual(rows.count, 1)
        XCTAssertFalse(rows[0].contains("95.5") || rows[0].contains("0.106"), String(rows[0]))
        XCTAssertTrue(table.contains("does not say which setting"), table)
        XCTAssertTrue(table.contains("95.5 ± 1.8") && table.contains("82 ± 5.6") && table.contains("0.106"), table)
    }
}
