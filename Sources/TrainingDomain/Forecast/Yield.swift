/// How many recruits become officers: those released to solo patrol ÷ those decided (released,
/// or separated before release), as the record has it so far. While history is thin (fewer
/// decided than the policy's `minimumOutcomes`) the share is taken as at least the policy's
/// floor.
///
/// The share is a fraction of whole numbers and every use of it below is exact integer
/// arithmetic: 39 officers short at 2 ÷ 3 means ⌈39 × 3 ÷ 2⌉ = 59 hires, never a rounded product.
public struct Yield: Hashable, Sendable, Codable {
    public var released: Int
    public var separatedBeforeRelease: Int
    /// The share applied is `numerator ÷ denominator` (0 ÷ 1 when nobody is expected through).
    public var numerator: Int
    public var denominator: Int
    /// The policy's floor replaced a lower observed share (history thin).
    public var floorApplied: Bool

    public var decided: Int { released + separatedBeforeRelease }
    /// Nobody is expected through: no number of hires fills an opening.
    public var isZero: Bool { numerator == 0 }

    public init(released: Int, separatedBeforeRelease: Int, policy: ForecastPolicy) {
        self.released = max(0, released)
        self.separatedBeforeRelease = max(0, separatedBeforeRelease)
        let decided = self.released + self.separatedBeforeRelease
        let floor = min(100, max(0, policy.yieldFloorPercent))
        // Thin history, and released ÷ decided below floor ÷ 100 (cross-multiplied).
        let useFloor = decided < policy.minimumOutcomes && (decided == 0 || self.released * 100 < floor * decided)
        let (numerator, denominator) = useFloor ? (floor, 100) : (self.released, decided)
        let divisor = Self.gcd(numerator, denominator)
        self.numerator = denominator == 0 ? 0 : numerator / max(1, divisor)
        self.denominator = denominator == 0 ? 1 : denominator / max(1, divisor)
        floorApplied = useFloor
    }

    /// The share as a whole percent, rounded down (100 only when everyone got through).
    public var percent: Int { numerator * 100 / denominator }

    /// Recruits who must start for `officers` to be released: ⌈officers ÷ share⌉; `nil` when
    /// the share is zero. With an observed share that is ⌈officers × decided ÷ released⌉.
    public func recruits(for officers: Int) -> Int? {
        guard !isZero else { return nil }
        guard officers > 0 else { return 0 }
        return (officers * denominator + numerator - 1) / numerator
    }

    /// Officers expected from `recruits`: ⌊recruits × share⌋.
    public func officers(from recruits: Int) -> Int { max(0, recruits) * numerator / denominator }

    /// `released of decided (percent)`, and the floor when it was applied.
    public var summary: String {
        let observed = "\(released) of \(decided) recruits decided so far were released to solo patrol"
        if floorApplied { return "\(observed); history is thin, so the yield is taken as \(percent)% (policy floor)" }
        return "\(observed) (\(percent)%)"
    }

    static func gcd(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (abs(a), abs(b))
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}
