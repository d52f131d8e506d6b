/// How one category's ratings moved across a phase: a row of the DOR tracking sheet (one cell
/// per shift) and its trend. Pure; the read models compute it once per trainee, phase and
/// category.
///
/// Only scores count toward the figures: N/O (not observed) and NRT (not responding to
/// training) show in the cells but are neither averaged nor fitted. The direction is the sign
/// of the least-squares line through the scores against the shift's place in the phase, in
/// integers: the line must move at least half a rating point from the first scored shift to
/// the last to be `improving` or `declining`.
public struct CategoryTrend: Hashable, Sendable, Codable {
    public enum Direction: String, Hashable, Sendable, Codable {
        case improving, steady, declining
        case notEnoughData = "not_enough_data"
    }

    /// Fewer scores than this give no direction.
    public static let minimumScores = 3

    public var phase: Int
    public var category: Category
    /// The phase's shifts, oldest first (every DOR of the phase).
    public var shifts: [Day]
    /// One cell per shift: the rating, or `nil` when that DOR left the category blank.
    public var cells: [Rating?]
    /// How many cells are scores.
    public var scored: Int
    public var first: Int?
    public var last: Int?
    /// The mean score × 100, rounded half up (`nil` when nothing was scored).
    public var meanTimes100: Int?
    public var direction: Direction

    /// The trend of one category from its cells, one per shift of the phase, oldest first
    /// (`nil`: the DOR left the category blank).
    public init(phase: Int, category: Category, cells: [(shift: Day, rating: Rating?)]) {
        self.phase = phase
        self.category = category
        shifts = cells.map(\.shift)
        self.cells = cells.map(\.rating)
        let points = self.cells.enumerated().compactMap { index, cell -> (x: Int, y: Int)? in
            if case .score(let value) = cell { return (index, value) }
            return nil
        }
        scored = points.count
        first = points.first?.y
        last = points.last?.y
        let sum = points.reduce(0) { $0 + $1.y }
        meanTimes100 = points.isEmpty ? nil : (sum * 200 + points.count) / (2 * points.count)
        direction = Self.direction(points)
    }

    /// The sign of the fitted slope, `steady` when the fitted change across the scored shifts
    /// is under half a point: slope = (nΣxy − ΣxΣy) ÷ (nΣx² − (Σx)²), compared exactly.
    static func direction(_ points: [(x: Int, y: Int)]) -> Direction {
        guard points.count >= minimumScores, let firstX = points.first?.x, let lastX = points.last?.x else { return .notEnoughData }
        let n = points.count
        let (sx, sy) = points.reduce((0, 0)) { ($0.0 + $1.x, $0.1 + $1.y) }
        let sxx = points.reduce(0) { $0 + $1.x * $1.x }
        let sxy = points.reduce(0) { $0 + $1.x * $1.y }
        let numerator = n * sxy - sx * sy
        let denominator = n * sxx - sx * sx
        guard denominator > 0 else { return .notEnoughData }
        // |slope| × span < 1/2  ⇔  2 × |numerator| × span < denominator.
        if 2 * abs(numerator) * (lastX - firstX) < denominator { return .steady }
        return numerator > 0 ? .improving : .declining
    }

    /// Every category's trend in every phase with DORs: phases in order, categories in the
    /// policy's order, then any other category rated (an earlier policy's) by name; each
    /// phase's shifts by date (DORs of one day by entry id, as ``FieldTrainingRecord/dorsInOrder`` has them).
    public static func trends(_ training: FieldTrainingRecord, policy: FieldTrainingPolicy) -> [CategoryTrend] {
        let byPhase = Dictionary(grouping: training.dorsInOrder, by: \.phase)
        let known = Set(policy.categories)
        return byPhase.keys.sorted().flatMap { phase in
            let reports = byPhase[phase]!
            let others = Set(reports.flatMap(\.ratings.keys)).subtracting(known).sorted()
            return (policy.categories + others).map { category in
                CategoryTrend(phase: phase, category: category, cells: reports.map { ($0.shiftDate, $0.ratings[category]) })
            }
        }
    }
}
