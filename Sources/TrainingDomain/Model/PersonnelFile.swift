/// Everything the log says about one person: a recruit's path to permanent status, their
/// coursework, and (for FTOs) their qualification. Built only by ``TrainingDecider/evolve(_:_:)``.
public struct PersonnelFile: Hashable, Sendable {
    public var profile: Profile?
    public var academy: AcademyRecord?
    public var fieldTraining: FieldTrainingRecord?
    public var probation: ProbationRecord?
    public var coursework: [CourseType: [CourseRecord]] = [:]
    public var ftoQualification = FTOQualificationRecord()
    public var separation: SeparationRecord?
    /// Entries accepted over a plausibility check, with the reasons given.
    public var overrides: [OverrideRecord] = []
    /// Entries on file that cannot be read and await an operator's decision: nothing else is
    /// recorded on the file meanwhile.
    public var unreadable: [EntryID: UnreadableEntry] = [:]
    /// The entries in effect, in order: what the facts above are folded from. Corrections and
    /// retractions stay in it as markers (they change nothing when folded again).
    public internal(set) var effective: [Entry] = []
    /// Entries that were corrected or retracted, with what became of them. Only amendments are
    /// indexed: every other entry is found in `effective`, which keeps the fold at one append.
    public internal(set) var amended: [EntryID: EntryRecord] = [:]

    public init() {}

    public enum Stage: String, Hashable, Sendable, Codable, CaseIterable {
        case none, hired, academy
        case academyGraduated = "academy_graduated"
        case fieldTraining = "field_training"
        case soloPatrol = "solo_patrol"
        case probation, permanent, separated
    }

    /// Where the person is in the pipeline, derived from the facts.
    public var stage: Stage {
        if separation != nil { return .separated }
        if probation?.completedOn != nil { return .permanent }
        if fieldTraining?.soloClearance != nil { return probation == nil ? .soloPatrol : .probation }
        if fieldTraining != nil { return .fieldTraining }
        if academy?.graduatedOn != nil { return .academyGraduated }
        if academy != nil { return .academy }
        if profile != nil { return .hired }
        return .none
    }

    /// An entry of this file, in effect or amended.
    public func entry(_ id: EntryID) -> EntryRecord? {
        if let record = amended[id] { return record }
        guard let entry = effective.last(where: { $0.id == id }) else { return nil }
        return EntryRecord(type: entry.event.type, occurredOn: entry.occurredOn, author: entry.actor, status: .active)
    }

    /// How messages name this person.
    public var displayName: String {
        guard let profile else { return "this person" }
        return "\(profile.name) (\(profile.badge))"
    }
}

public struct Profile: Hashable, Sendable {
    public var trainee: TraineeID
    public var name: String
    public var badge: String
    public var hireDate: Day
    public var agency: AgencyID
}

public struct EntryRecord: Hashable, Sendable {
    public enum Status: Hashable, Sendable {
        case active
        case corrected(by: EntryID)
        case retracted(by: EntryID)
    }
    public var type: String
    public var occurredOn: Day
    public var author: Actor
    public var status: Status
}

public struct AcademyRecord: Hashable, Sendable {
    public struct Attempt: Hashable, Sendable {
        public var passed: Bool
        public var score: Double?
        public var on: Day
    }
    public var classNumber: String
    public var academy: String
    public var start: Day
    public var source: String?
    public var attempts: [AcademyTestKey: [Attempt]] = [:]
    public var graduatedOn: Day?
    /// Set while waiting for a later class after a recycle.
    public var recycledTo: String?
    public var recycles: Int = 0

    public func passed(_ test: AcademyTestKey) -> Bool { attempts[test]?.contains { $0.passed } ?? false }
}

public struct PhaseRecord: Hashable, Sendable {
    public var number: Int
    public var startedOn: Day
    public var ftos: [OfficerID] = []
    public var extensions: Int = 0
    public var extensionWeeks: Int = 0
    public var completedOn: Day?
    public var earlyCompletionReason: String?
    /// End of Phase Reports filed by the phase's FTOs.
    public var endOfPhaseReports: [PhaseReport] = []
    /// The latest Phase Evaluation Report.
    public var evaluation: PhaseReport?
}

/// An End of Phase Report or a Phase Evaluation Report: ratings per category and a
/// recommendation, by an FTO or evaluator.
public struct PhaseReport: Hashable, Sendable {
    public var entry: EntryID
    public var author: OfficerID
    public var on: Day
    public var ratings: [Category: Rating]
    public var recommendation: PhaseRecommendation
    public var narrative: String
}

/// A plausibility check an entry was accepted over.
public struct OverrideRecord: Hashable, Sendable {
    public var entry: EntryID
    public var check: PlausibilityCheck
    public var reason: String
    public var by: Actor
    public var on: Day

    public init(entry: EntryID, check: PlausibilityCheck, reason: String, by: Actor, on: Day) {
        self.entry = entry
        self.check = check
        self.reason = reason
        self.by = by
        self.on = on
    }
}

public struct DORRecord: Hashable, Sendable {
    public struct Acknowledgement: Hashable, Sendable {
        public var signed: Bool
        public var note: String?
        public var on: Day
    }
    public var id: EntryID
    public var fto: OfficerID
    public var shiftDate: Day
    public var phase: Int
    public var ratings: [Category: Rating]
    public var narrative: String
    public var acknowledgement: Acknowledgement?
    /// Amended after filing: needs a fresh acknowledgement.
    public var amended = false
    public var rebuttals: [String] = []
}

public struct RemedialRecord: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable { case open, completed, failed }
    public var id: EntryID
    public var category: Category
    public var assignedOn: Day
    public var due: Day
    public var plan: String
    public var status: Status = .open
    public var closedOn: Day?
}

public struct FieldTrainingRecord: Hashable, Sendable {
    public var startedOn: Day
    public var phases: [PhaseRecord]
    public var dors: [EntryID: DORRecord] = [:]
    public var remedial: [EntryID: RemedialRecord] = [:]
    /// Agency orientation, when recorded.
    public var orientation: Orientation?
    /// Checklist item → the FTO who signed it and when.
    public var tasks: [String: Signature] = [:]
    /// Checklist item → the day the trainee acknowledged the FTO's signature.
    public var taskAcknowledgements: [String: Day] = [:]
    public var attestation: Signature?
    /// The FTO's attestation of competence, in their words.
    public var attestationStatement: String?
    public var soloClearance: SoloClearance?
    /// A release the sergeant requested, awaiting the chief's (or a designee's) concurrence.
    public var pendingRelease: ReleaseRequest?
    public var weeklyReports: Int = 0
    /// The week ending of the latest Supervisor's Weekly Report.
    public var lastWeeklyReport: Day?

    public struct Orientation: Hashable, Sendable {
        public var from: Day
        public var to: Day
    }

    /// A requested release to solo patrol.
    public struct ReleaseRequest: Hashable, Sendable {
        public var on: Day
        public var statement: String
        public var requestedBy: OfficerID
    }

    /// Who signed (an FTO) and on which day.
    public struct Signature: Hashable, Sendable {
        public var fto: OfficerID
        public var on: Day
    }

    /// The release to solo patrol and whose concurrence it carries.
    public struct SoloClearance: Hashable, Sendable {
        public var on: Day
        public var concurredBy: OfficerID
        public var role: Role
        /// The release statement, and the sergeant who requested the release (and when).
        public var statement: String = ""
        public var requestedBy: OfficerID?
        public var requestedOn: Day?
    }

    /// The phase in progress, if any.
    public var currentPhase: PhaseRecord? { phases.last.flatMap { $0.completedOn == nil ? $0 : nil } }
    public var openRemedial: [RemedialRecord] { remedial.values.filter { $0.status == .open }.sorted { $0.assignedOn < $1.assignedOn } }
    /// DORs by shift date, oldest first.
    public var dorsInOrder: [DORRecord] { dors.values.sorted { ($0.shiftDate, $0.id) < ($1.shiftDate, $1.id) } }
    public func phase(_ number: Int) -> PhaseRecord? { phases.first { $0.number == number } }
    public func isAssigned(_ fto: OfficerID) -> Bool { phases.contains { $0.ftos.contains(fto) } }
}

public struct ProbationRecord: Hashable, Sendable {
    public struct Review: Hashable, Sendable {
        public var interval: Int
        public var outcome: ReviewOutcome
        public var notes: String
        public var on: Day
    }
    public struct Extension: Hashable, Sendable {
        public var previousEnd: Day
        public var newEnd: Day
        public var reason: String
        public var recordedOn: Day
    }
    public var start: Day
    public var end: Day
    public var reviews: [Review] = []
    public var extensions: [Extension] = []
    public var completedOn: Day?
}

public struct CourseRecord: Hashable, Sendable {
    public var entry: EntryID
    public var title: String
    public var hours: Double
    public var provider: String
    public var instructor: String?
    public var completedOn: Day
    public var certificateReference: String?
}

public struct FTOQualificationRecord: Hashable, Sendable {
    public var qualifiedOn: Day?
    public var updates: [Day] = []
    public var prohibitions: [Prohibition] = []
    /// The POST Basic Certificate and the day it was awarded.
    public var basicCertificate: Certificate?
    /// The day general uniformed patrol began.
    public var patrolSince: Day?

    public struct Certificate: Hashable, Sendable {
        public var number: String
        public var on: Day
        public init(number: String, on: Day) {
            self.number = number
            self.on = on
        }
    }

    /// A bar from training others (AB 26), from one day until another (exclusive).
    public struct Prohibition: Hashable, Sendable {
        public var from: Day
        public var until: Day
        public var reason: String
        public init(from: Day, until: Day, reason: String) {
            self.from = from
            self.until = until
            self.reason = reason
        }
    }

    public init() {}

    /// Why this officer may not train on `day` under `policy` (POST Regulation 1004: the Basic
    /// Certificate, a year of patrol, the 40-hour course, the update every three years, no
    /// AB 26 bar), or `nil` when they may.
    public func disqualification(on day: Day, policy: TrainingPolicy) -> String? {
        guard let qualifiedOn, qualifiedOn <= day else { return "has not completed the 40-hour FTO course" }
        let eligibility = policy.ftoEligibility
        if eligibility.requiresBasicCertificate && !(basicCertificate.map { $0.on <= day } ?? false) {
            return "holds no POST Basic Certificate on record"
        }
        if eligibility.minimumPatrolMonths > 0 {
            guard let patrolSince, patrolSince <= day else { return "has no uniformed patrol experience on record" }
            let enough = patrolSince.adding(months: eligibility.minimumPatrolMonths)
            if day < enough { return "has less than \(eligibility.minimumPatrolMonths) months of uniformed patrol (until \(enough))" }
        }
        if let expires = updateDue(on: day, everyMonths: policy.ftoUpdateEveryMonths), expires < day {
            return "is overdue for the 24-hour FTO update (due \(expires))"
        }
        if let bar = prohibitions.first(where: { $0.from <= day && day < $0.until }) {
            return "is barred from training until \(bar.until) (\(bar.reason))"
        }
        return nil
    }

    /// When the next FTO update is due, counting the course and updates taken by `day`.
    public func updateDue(on day: Day, everyMonths: Int) -> Day? {
        guard let qualifiedOn, qualifiedOn <= day else { return nil }
        return ([qualifiedOn] + updates.filter { $0 <= day }).max()!.adding(months: everyMonths)
    }
}

public struct SeparationRecord: Hashable, Sendable {
    public var kind: SeparationKind
    public var reason: String
    public var on: Day
    public var stageAtSeparation: PersonnelFile.Stage
}
