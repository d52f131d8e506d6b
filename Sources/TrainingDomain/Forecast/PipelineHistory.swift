/// The stages a recruit passes through on the way to solo patrol, in order.
public enum PipelineStage: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    /// Hired, not yet enrolled in an academy class.
    case hired
    case academy
    /// Graduated, waiting for field training to start.
    case academyGraduated = "academy_graduated"
    case fieldTraining = "field_training"

    /// The pipeline stage of a personnel file's stage (`nil` once released or separated).
    public init?(_ stage: PersonnelFile.Stage) {
        self.init(rawValue: stage.rawValue)
    }

    var order: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.order < rhs.order }

    /// The stages after this one.
    var later: ArraySlice<PipelineStage> { Self.allCases[(order + 1)...] }

    /// How long policy says the stage lasts, in days (the wait for a class or for field
    /// training has no policy length).
    func policyDays(_ policy: TrainingPolicy) -> Int {
        switch self {
        case .hired, .academyGraduated: 0
        case .academy: policy.academy.lengthWeeks * 7
        case .fieldTraining: policy.fieldTraining.totalMinimumWeeks * 7
        }
    }
}

/// What the record shows so far, for the forecast: how long each stage took those who left it
/// for the next, and how recruits ended (released to solo patrol, or separated from a stage).
public struct PipelineHistory: Hashable, Sendable {
    /// Stage → length in days → how many recruits took that long.
    public var stageDays: [PipelineStage: [Int: Int]]
    /// Recruits released to solo patrol (whatever happened to them later).
    public var released: Int
    /// Recruits separated before release, by the stage they left from.
    public var separatedFrom: [PipelineStage: Int]

    public init(stageDays: [PipelineStage: [Int: Int]] = [:], released: Int = 0, separatedFrom: [PipelineStage: Int] = [:]) {
        self.stageDays = stageDays
        self.released = released
        self.separatedFrom = separatedFrom
    }

    /// The yield of every recruit: released ÷ (released + separated before release).
    public func yield(policy: ForecastPolicy) -> Yield { yield(from: .hired, policy: policy) }

    /// The yield of recruits who reached `stage`: released ÷ (released + separated from
    /// `stage` or a later one). The attrition of each stage seen so far, as what is left of a
    /// recruit's chances once they are that far; thin history takes the policy's floor.
    public func yield(from stage: PipelineStage, policy: ForecastPolicy) -> Yield {
        let separated = separatedFrom.filter { $0.key >= stage }.values.reduce(0, +)
        return Yield(released: released, separatedBeforeRelease: separated, policy: policy)
    }

    /// The lengths seen for one stage, ready for drawing.
    func lengths(_ stage: PipelineStage) -> StageLengths {
        StageLengths(counts: stageDays[stage] ?? [:])
    }
}

/// The lengths (days) seen for one stage, sorted, with running counts, so a draw (among all of
/// them, or among those at least as long as a recruit has already spent) is a binary search.
struct StageLengths: Sendable {
    /// Ascending lengths and, for each, how many lengths are at most it.
    let days: [Int]
    let cumulative: [Int]

    init(counts: [Int: Int]) {
        let sorted = counts.filter { $0.value > 0 }.map { (max(0, $0.key), $0.value) }.sorted { $0.0 < $1.0 }
        var days: [Int] = []
        var cumulative: [Int] = []
        var total = 0
        for (length, count) in sorted {
            total += count
            if days.last == length {
                cumulative[cumulative.count - 1] = total
            } else {
                days.append(length)
                cumulative.append(total)
            }
        }
        self.days = days
        self.cumulative = cumulative
    }

    var isEmpty: Bool { days.isEmpty }
    var total: Int { cumulative.last ?? 0 }

    /// The index of the first length of at least `days`; `nil` when none is that long.
    func firstIndex(atLeast days: Int) -> Int? {
        var (low, high) = (0, self.days.count)
        while low < high {
            let middle = (low + high) / 2
            if self.days[middle] < days { low = middle + 1 } else { high = middle }
        }
        return low < self.days.count ? low : nil
    }

    /// A length drawn among those from index `from` on, each weighted by how often it was seen.
    func draw(from: Int, using generator: inout SeededGenerator) -> Int {
        let before = from == 0 ? 0 : cumulative[from - 1]
        let pick = before + generator.below(total - before)
        // The first index whose running count exceeds the pick.
        var (first, last) = (from, days.count - 1)
        while first < last {
            let middle = (first + last) / 2
            if cumulative[middle] > pick { last = middle } else { first = middle + 1 }
        }
        return days[first]
    }
}

extension SeededGenerator {
    /// A whole number in `0 ..< bound` (0 when `bound` is not positive). The remainder of the
    /// next 64 bits: reproducible on every platform and Swift version (its bias, below 2^-40 for
    /// any bound the forecast uses, is far below what a thousand runs could show).
    mutating func below(_ bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        return Int(next() % UInt64(bound))
    }
}
