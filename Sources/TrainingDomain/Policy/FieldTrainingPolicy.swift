/// California POST's two program models (Regulation 1004).
public enum ProgramModel: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// The Field Training Program (the San Jose model): at least 10 weeks.
    case fieldTrainingProgram = "ftp"
    /// The Police Training Program (the Reno/PTO model): at least 15 weeks.
    case policeTrainingProgram = "ptp"

    /// The shortest program POST approves, in weeks (orientation not counted).
    public var minimumWeeks: Int { self == .fieldTrainingProgram ? 10 : 15 }

    public var description: String {
        self == .fieldTrainingProgram ? "Field Training Program (FTP)" : "Police Training Program (PTP)"
    }
}

/// The agency's rating scale: whole numbers from `lowest` to `highest` (1–7, or NICS as 1–3),
/// plus the two marks N/O and NRT.
public struct RatingScale: Hashable, Sendable, Codable {
    public var lowest: Int
    public var highest: Int
    /// What points of the scale are called ("acceptable"), for forms and boards.
    public var labels: [Int: String]

    public init(lowest: Int, highest: Int, labels: [Int: String]) {
        self.lowest = lowest
        self.highest = highest
        self.labels = labels
    }

    public static let oneToSeven = RatingScale(lowest: 1, highest: 7, labels: [1: "unacceptable", 4: "acceptable", 7: "superior"])
    /// Needs improvement / competent / superior.
    public static let nics = RatingScale(lowest: 1, highest: 3, labels: [1: "needs improvement", 2: "competent", 3: "superior"])

    public func contains(_ value: Int) -> Bool { (lowest...max(lowest, highest)).contains(value) }
    public var range: ClosedRange<Int> { lowest...max(lowest, highest) }
    public var rangeText: String { "\(lowest)–\(highest)" }
}

/// A Standardized Evaluation Guideline: what a category covers and what its anchor ratings
/// mean, so every FTO rates alike (POST FTP Guide, appendix A-1). Shown wherever ratings are
/// entered.
public struct EvaluationGuideline: Hashable, Sendable, Codable {
    public var summary: String
    /// Anchor rating → what it looks like (typically 1, 4 and 7).
    public var anchors: [Int: String]

    public init(summary: String, anchors: [Int: String]) {
        self.summary = summary
        self.anchors = anchors
    }
}

/// One item of the competency checklist.
public struct ChecklistTask: Hashable, Sendable, Codable {
    public var id: String
    public var title: String
    /// Signed (and, where policy asks, acknowledged) before release to solo patrol.
    public var required: Bool

    public init(id: String, title: String, required: Bool = true) {
        self.id = id
        self.title = title
        self.required = required
    }
}

/// A section of the checklist, as the FTP Guide's volume 2 groups competencies.
public struct ChecklistSection: Hashable, Sendable, Codable {
    public var name: String
    public var tasks: [ChecklistTask]

    public init(name: String, tasks: [ChecklistTask]) {
        self.name = name
        self.tasks = tasks
    }
}

public struct PhasePolicy: Hashable, Sendable, Codable {
    public var number: Int
    public var name: String
    public var minimumWeeks: Int

    public init(number: Int, name: String, minimumWeeks: Int) {
        self.number = number
        self.name = name
        self.minimumWeeks = minimumWeeks
    }
}

public struct FieldTrainingPolicy: Hashable, Sendable, Codable {
    public var program: ProgramModel
    /// Agency orientation before the phases (POST: at least one week).
    public var orientationWeeks: Int
    public var phases: [PhasePolicy]
    public var maximumExtensionsPerPhase: Int
    /// Standardized evaluation guideline categories rated on each DOR.
    public var categories: [Category]
    public var ratingScale: RatingScale
    /// The guideline text per category (categories without one show none).
    public var guidelines: [Category: EvaluationGuideline]
    /// Ratings below this need a narrative (4 = acceptable).
    public var narrativeRequiredBelow: Int
    /// Ratings above this need a narrative.
    public var narrativeRequiredAbove: Int
    /// Every category is rated or marked N/O on every DOR (a blank is refused).
    public var everyCategoryRated: Bool
    /// Solo clearance needs this many most recent DORs all acceptable in every category.
    public var soloClearanceRecentDORs: Int
    /// The lowest acceptable rating (4 on the 1–7 scale: acceptable to work alone).
    public var acceptableRating: Int
    /// The competency checklist, by section.
    public var checklist: [ChecklistSection]
    /// The trainee acknowledges each signed checklist task (POST recommends both sign).
    public var traineeAcknowledgesTasks: Bool
    /// A phase is signed off only after its phase evaluation recommends advancing.
    public var phaseEvaluationRequired: Bool
    /// Coursework that must be current at solo clearance.
    public var requiredCoursesForSolo: [CourseType]

    public init(
        program: ProgramModel = .fieldTrainingProgram, orientationWeeks: Int = 1, phases: [PhasePolicy], maximumExtensionsPerPhase: Int,
        categories: [Category], ratingScale: RatingScale = .oneToSeven, guidelines: [Category: EvaluationGuideline] = [:],
        narrativeRequiredBelow: Int, narrativeRequiredAbove: Int, everyCategoryRated: Bool = true, soloClearanceRecentDORs: Int,
        acceptableRating: Int, checklist: [ChecklistSection], traineeAcknowledgesTasks: Bool = true, phaseEvaluationRequired: Bool = true,
        requiredCoursesForSolo: [CourseType]
    ) {
        self.program = program
        self.orientationWeeks = orientationWeeks
        self.phases = phases
        self.maximumExtensionsPerPhase = maximumExtensionsPerPhase
        self.categories = categories
        self.ratingScale = ratingScale
        self.guidelines = guidelines
        self.narrativeRequiredBelow = narrativeRequiredBelow
        self.narrativeRequiredAbove = narrativeRequiredAbove
        self.everyCategoryRated = everyCategoryRated
        self.soloClearanceRecentDORs = soloClearanceRecentDORs
        self.acceptableRating = acceptableRating
        self.checklist = checklist
        self.traineeAcknowledgesTasks = traineeAcknowledgesTasks
        self.phaseEvaluationRequired = phaseEvaluationRequired
        self.requiredCoursesForSolo = requiredCoursesForSolo
    }

    public func phase(_ number: Int) -> PhasePolicy? { phases.first { $0.number == number } }
    public var totalMinimumWeeks: Int { phases.reduce(0) { $0 + $1.minimumWeeks } }
    /// Every checklist task, in order.
    public var tasks: [ChecklistTask] { checklist.flatMap(\.tasks) }
    public func task(_ id: String) -> ChecklistTask? { tasks.first { $0.id == id } }
    /// Tasks to sign before solo release.
    public var requiredTasks: [String] { tasks.filter(\.required).map(\.id) }

    enum CodingKeys: String, CodingKey {
        case program, orientationWeeks, phases, maximumExtensionsPerPhase, categories, ratingScale, guidelines
        case narrativeRequiredBelow, narrativeRequiredAbove, everyCategoryRated, soloClearanceRecentDORs, acceptableRating
        case checklist, traineeAcknowledgesTasks, phaseEvaluationRequired, requiredCoursesForSolo
        /// Before the checklist had sections: a flat list of required task ids.
        case requiredTasks
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        program = try c.decode(ProgramModel.self, forKey: .program, absent: .fieldTrainingProgram)
        orientationWeeks = try c.decode(Int.self, forKey: .orientationWeeks, absent: 0)
        phases = try c.decode([PhasePolicy].self, forKey: .phases)
        maximumExtensionsPerPhase = try c.decode(Int.self, forKey: .maximumExtensionsPerPhase)
        categories = try c.decode([Category].self, forKey: .categories)
        ratingScale = try c.decode(RatingScale.self, forKey: .ratingScale, absent: .oneToSeven)
        guidelines = try c.decode([Category: EvaluationGuideline].self, forKey: .guidelines, absent: [:])
        narrativeRequiredBelow = try c.decode(Int.self, forKey: .narrativeRequiredBelow)
        narrativeRequiredAbove = try c.decode(Int.self, forKey: .narrativeRequiredAbove)
        everyCategoryRated = try c.decode(Bool.self, forKey: .everyCategoryRated, absent: false)
        soloClearanceRecentDORs = try c.decode(Int.self, forKey: .soloClearanceRecentDORs)
        acceptableRating = try c.decode(Int.self, forKey: .acceptableRating)
        if let checklist = try c.decodeIfPresent([ChecklistSection].self, forKey: .checklist) {
            self.checklist = checklist
        } else {
            let ids = try c.decode([String].self, forKey: .requiredTasks, absent: [])
            checklist = [ChecklistSection(name: "Required tasks", tasks: ids.map { ChecklistTask(id: $0, title: $0.replacingUnderscores) })]
        }
        traineeAcknowledgesTasks = try c.decode(Bool.self, forKey: .traineeAcknowledgesTasks, absent: false)
        phaseEvaluationRequired = try c.decode(Bool.self, forKey: .phaseEvaluationRequired, absent: false)
        requiredCoursesForSolo = try c.decode([CourseType].self, forKey: .requiredCoursesForSolo)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(program, forKey: .program)
        try c.encode(orientationWeeks, forKey: .orientationWeeks)
        try c.encode(phases, forKey: .phases)
        try c.encode(maximumExtensionsPerPhase, forKey: .maximumExtensionsPerPhase)
        try c.encode(categories, forKey: .categories)
        try c.encode(ratingScale, forKey: .ratingScale)
        try c.encode(guidelines, forKey: .guidelines)
        try c.encode(narrativeRequiredBelow, forKey: .narrativeRequiredBelow)
        try c.encode(narrativeRequiredAbove, forKey: .narrativeRequiredAbove)
        try c.encode(everyCategoryRated, forKey: .everyCategoryRated)
        try c.encode(soloClearanceRecentDORs, forKey: .soloClearanceRecentDORs)
        try c.encode(acceptableRating, forKey: .acceptableRating)
        try c.encode(checklist, forKey: .checklist)
        try c.encode(traineeAcknowledgesTasks, forKey: .traineeAcknowledgesTasks)
        try c.encode(phaseEvaluationRequired, forKey: .phaseEvaluationRequired)
        try c.encode(requiredCoursesForSolo, forKey: .requiredCoursesForSolo)
    }
}

extension String {
    /// `felony_vehicle_stop` → `felony vehicle stop`.
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
