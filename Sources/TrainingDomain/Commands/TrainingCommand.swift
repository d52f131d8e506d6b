/// What someone asks to record. Business dates arrive with the command; so do the acting
/// user, the clock and the new entry ids (see ``CommandContext``).
public enum TrainingCommand: Hashable, Sendable {
    // Hiring and academy
    case hireRecruit(trainee: TraineeID, name: String, badge: String, hireDate: Day, agency: AgencyID)
    case enrollInAcademy(classNumber: String, academy: String, start: Day, source: String?)
    case recordAcademyTest(test: AcademyTestKey, passed: Bool, score: Double?, instructor: String, on: Day, source: String?)
    case graduateAcademy(on: Day)
    case recycleAcademy(toClass: String, reason: String, on: Day)
    // Field training
    case startFieldTraining(on: Day)
    case assignFTO(fto: OfficerID, phase: Int, on: Day)
    case reportSupervisorWeekly(weekEnding: Day, report: WeeklyReportContent)
    /// Agency orientation (POST: at least a week before the phases).
    case recordOrientation(from: Day, to: Day, topics: [String])
    case fileDailyObservation(fto: OfficerID, shiftDate: Day, ratings: [Category: Rating], narrative: String)
    case acknowledgeDailyObservation(report: EntryID, signed: Bool, note: String?, on: Day)
    case fileRebuttal(entry: EntryID, text: String, on: Day)
    case signOffTask(task: String, fto: OfficerID, callReference: String?, on: Day)
    /// The trainee acknowledges a task the FTO signed.
    case acknowledgeTask(task: String, on: Day)
    case reportEndOfPhase(phase: Int, fto: OfficerID, report: PhaseReportContent, on: Day)
    case evaluatePhase(phase: Int, evaluator: OfficerID, report: PhaseReportContent, on: Day)
    case assignRemedial(category: Category, due: Day, plan: String, on: Day)
    case completeRemedial(remedial: EntryID, notes: String, on: Day)
    case failRemedial(remedial: EntryID, notes: String, on: Day)
    case extendPhase(phase: Int, weeks: Int, reason: String, on: Day)
    case completePhase(phase: Int, on: Day, earlyCompletionReason: String?)
    case attestCompetency(fto: OfficerID, statement: String, on: Day)
    /// The training sergeant asks for the release; the chief or a designee concurs in it (the
    /// release is recorded only then) or declines it.
    case requestSoloRelease(on: Day, releaseStatement: String)
    case concurInSoloRelease(on: Day)
    case declineSoloRelease(reason: String, on: Day)
    // Probation
    case startProbation(start: Day)
    case reviewProbation(interval: Int, outcome: ReviewOutcome, notes: String, on: Day)
    case extendProbation(newEnd: Day, reason: String, on: Day)
    case completeProbation(on: Day)
    // Coursework and FTO qualification (any officer's file)
    case recordCourse(
        courseType: CourseType, title: String, hours: Double, provider: String, instructor: String?, completedOn: Day,
        certificateReference: String?)
    case qualifyFTO(courseDate: Day)
    case recordFTOUpdate(date: Day)
    case prohibitFTO(from: Day, until: Day, reason: String)
    case awardBasicCertificate(certificate: String, on: Day)
    case startPatrolAssignment(on: Day)
    // Any time
    case separate(kind: SeparationKind, reason: String, on: Day)
    case correctEntry(entry: EntryID, reason: String, replacement: TrainingEvent, on: Day)
    case retractEntry(entry: EntryID, reason: String, on: Day)
    /// An operator's decision on an entry that cannot be read.
    case resolveUnreadable(entry: EntryID, resolution: UnreadableEntryResolved.Resolution, reason: String, on: Day)
}

/// What a Supervisor's Weekly Report says.
public struct WeeklyReportContent: Hashable, Sendable {
    public var summary: String
    public var strengths: [Category]
    public var needsImprovement: [Category]
    public var plan: String

    public init(summary: String, strengths: [Category] = [], needsImprovement: [Category] = [], plan: String = "") {
        self.summary = summary
        self.strengths = strengths
        self.needsImprovement = needsImprovement
        self.plan = plan
    }
}

/// What an End of Phase Report or a Phase Evaluation Report says.
public struct PhaseReportContent: Hashable, Sendable {
    public var ratings: [Category: Rating]
    public var strengths: [Category]
    public var needsImprovement: [Category]
    public var recommendation: PhaseRecommendation
    public var narrative: String

    public init(
        ratings: [Category: Rating], strengths: [Category] = [], needsImprovement: [Category] = [], recommendation: PhaseRecommendation,
        narrative: String
    ) {
        self.ratings = ratings
        self.strengths = strengths
        self.needsImprovement = needsImprovement
        self.recommendation = recommendation
        self.narrative = narrative
    }
}
