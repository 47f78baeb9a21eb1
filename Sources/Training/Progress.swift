import Foundation

/// Where a run reports how it is going. The trainer calls it; it never affects the results.
public protocol TrainingProgress: AnyObject {
    /// After every optimiser step.
    func step(_ status: StepStatus)
    /// After every epoch (and its optional evaluation).
    func epochFinished(_ record: EpochRecord, epochs: Int)
    /// Free-form notes (resuming, evaluating, stage 2 …).
    func note(_ message: String)
}

/// The position and speed of training after one step.
public struct StepStatus: Sendable {
    public var stage: Int
    public var epoch: Int, epochs: Int
    public var step: Int, steps: Int
    /// Mean loss of the epoch so far.
    public var loss: Double
    public var imagesPerSecond: Double
    /// Estimated time left in this stage.
    public var secondsLeft: Double
}

/// Reports on standard error: a redrawn progress bar on a terminal, plain log lines otherwise
/// (one per epoch, plus one every `plainLineEvery` steps).
public final class ConsoleProgress: TrainingProgress {
    let isTerminal: Bool
    let plainLineEvery: Int
    private var lastDraw = Date.distantPast

    public init(isTerminal: Bool = isatty(STDERR_FILENO) == 1, plainLineEvery: Int = 50) {
        self.isTerminal = isTerminal
        self.plainLineEvery = plainLineEvery
    }

    public func step(_ s: StepStatus) {
        let text = String(format: "stage %d epoch %d/%d step %d/%d loss %.4f %.0f img/s ETA %@", s.stage, s.epoch + 1, s.epochs,
                          s.step + 1, s.steps, s.loss, s.imagesPerSecond, Self.clock(s.secondsLeft))
        if isTerminal {
            guard Date().timeIntervalSince(lastDraw) > 0.2 || s.step + 1 == s.steps else { return }
            lastDraw = Date()
            let width = 24, filled = width * (s.step + 1) / max(s.steps, 1)
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            write("\r[\(bar)] \(text)\u{1B}[K")
        } else if (s.step + 1) % plainLineEvery == 0 {
            write(text + "\n")
        }
    }

    public func epochFinished(_ r: EpochRecord, epochs: Int) {
        var text = String(format: "stage %d epoch %d/%d: loss %.4f lr %.6g %.1f s", r.stage, r.epoch + 1, epochs,
                          r.loss, r.learningRate, r.seconds)
        for (name, value) in r.terms.sorted(by: { $0.key < $1.key }) { text += String(format: " %@ %.4f", name, value) }
        if let top1 = r.testTop1 { text += String(format: " test top-1 %.2f%%", 100 * top1) }
        write((isTerminal ? "\r\u{1B}[K" : "") + text + "\n")
    }

    public func note(_ message: String) { write((isTerminal ? "\r\u{1B}[K" : "") + message + "\n") }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%02d:%02d", s / 60, s % 60)
    }
}

/// Reports nothing (tests, library callers with their own logging).
public final class SilentProgress: TrainingProgress {
    public init() {}
    public func step(_ status: StepStatus) {}
    public func epochFinished(_ record: EpochRecord, epochs: Int) {}
    public func note(_ message: String) {}
}
