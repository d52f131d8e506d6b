// Field training: phases, FTOs, daily observation reports, remedial training, release.

public struct FieldTrainingStarted: TrainingEventPayload {
    public static let type = "field-training.started.v1"
    public var date: Day
    public init(date: Day) { self.date = date }
}

public struct FTOAssigned: TrainingEventPayload {
    public static let type = "field-training.fto-assigned.v1"
    public var fto: OfficerID
    public var phase: Int
    public init(fto: OfficerID, phase: Int) {
        self.fto = fto
        self.phase = phase
    }
}

/// The Supervisor's Weekly Report (POST FTP Guide, A-3): the week's progress in the
/// guidelines' words. Schema 2 added its content; schema 1 held only a summary.
public struct SupervisorWeeklyReported: TrainingEventPayload {
    public static let type = "field-training.supervisor-weekly-reported.v1"
    public static let schemaVersion = 2
    public var weekEnding: Day
    public var summary: String
    /// The phase the week fell in.
    public var phase: Int?
    /// Categories performed at or above standard this week.
    public var strengths: [Category]
    /// Categories needing work, and the plan for next week.
    public var needsImprovement: [Category]
    public var plan: String
    /// The FTO(s) who rode with the trainee.
    public var ftos: [OfficerID]

    public init(
        weekEnding: Day, summary: String, phase: Int? = nil, strengths: [Category] = [], needsImprovement: [Category] = [], plan: String = "",
        ftos: [OfficerID] = []
    ) {
        self.weekEnding = weekEnding
        self.summary = summary
        self.phase = phase
        self.strengths = strengths
        self.needsImprovement = needsImprovement
        self.plan = plan
        self.ftos = ftos
    }

    enum CodingKeys: String, CodingKey { case weekEnding, summary, phase, strengths, needsImprovement, plan, ftos }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        weekEnding = try c.decode(Day.self, forKey: .weekEnding)
        summary = try c.decode(String.self, forKey: .summary)
        phase = try c.decodeIfPresent(Int.self, forKey: .phase)
        strengths = try c.decode([Category].self, forKey: .strengths, absent: [])
        needsImprovement = try c.decode([Category].self, forKey: .needsImprovement, absent: [])
        plan = try c.decode(String.self, forKey: .plan, absent: "")
        ftos = try c.decode([OfficerID].self, forKey: .ftos, absent: [])
    }
}

/// A Daily Observation Report. Its entry id is the DOR's id.
public struct DailyObservationReported: TrainingEventPayload {
    public static let type = "field-training.daily-observation-reported.v1"
    public var fto: OfficerID
    public var shiftDate: Day
    public var phase: Int
    public var ratings: [Category: Rating]
    public var narrative: String
    public init(fto: OfficerID, shiftDate: Day, phase: Int, ratings: [Category: Rating], narrative: String) {
        self.fto = fto
        self.shiftDate = shiftDate
        self.phase = phase
        self.ratings = ratings
        self.narrative = narrative
    }
}

/// The trainee signed the DOR, or refused and the refusal was noted (Gov. Code 3305).
public struct DailyObservationAcknowledged: TrainingEventPayload {
    public static let type = "field-training.daily-observation-acknowledged.v1"
    public var report: EntryID
    public var signed: Bool
    public var note: String?
    public init(report: EntryID, signed: Bool, note: String? = nil) {
        self.report = report
        self.signed = signed
        self.note = note
    }
}

public struct TraineeRebuttalFiled: TrainingEventPayload {
    public static let type = "field-training.trainee-rebuttal-filed.v1"
    public var entry: EntryID
    public var text: String
    public init(entry: EntryID, text: String) {
        self.entry = entry
        self.text = text
    }
}

public struct TrainingTaskSignedOff: TrainingEventPayload {
    public static let type = "field-training.task-signed-off.v1"
    public var task: String
    public var fto: OfficerID
    public var callReference: String?
    public init(task: String, fto: OfficerID, callReference: String? = nil) {
        self.task = task
        self.fto = fto
        self.callReference = callReference
    }
}

/// Its entry id is the remedial item's id.
public struct RemedialTrainingAssigned: TrainingEventPayload {
    public static let type = "field-training.remedial-assigned.v1"
    public var category: Category
    public var due: Day
    public var plan: String
    public init(category: Category, due: Day, plan: String) {
        self.category = category
        self.due = due
        self.plan = plan
    }
}

public struct RemedialTrainingCompleted: TrainingEventPayload {
    public static let type = "field-training.remedial-completed.v1"
    public var remedial: EntryID
    public var notes: String
    public init(remedial: EntryID, notes: String) {
        self.remedial = remedial
        self.notes = notes
    }
}

public struct RemedialTrainingFailed: TrainingEventPayload {
    public static let type = "field-training.remedial-failed.v1"
    public var remedial: EntryID
    public var notes: String
    public init(remedial: EntryID, notes: String) {
        self.remedial = remedial
        self.notes = notes
    }
}

public struct PhaseExtended: TrainingEventPayload {
    public static let type = "field-training.phase-extended.v1"
    public var phase: Int
    public var weeks: Int
    public var reason: String
    public init(phase: Int, weeks: Int, reason: String) {
        self.phase = phase
        self.weeks = weeks
        self.reason = reason
    }
}

/// Signed by the training sergeant.
public struct PhaseCompleted: TrainingEventPayload {
    public static let type = "field-training.phase-completed.v1"
    public var phase: Int
    public var date: Day
    /// Why the phase ends before its minimum length, when it does.
    public var earlyCompletionReason: String?
    /// The program's last phase: no next phase starts.
    public var finalPhase: Bool
    public init(phase: Int, date: Day, earlyCompletionReason: String? = nil, finalPhase: Bool) {
        self.phase = phase
        self.date = date
        self.earlyCompletionReason = earlyCompletionReason
        self.finalPhase = finalPhase
    }
}

/// The FTO's attestation of competence (POST Regulation 1004 completion record).
public struct CompetencyAttested: TrainingEventPayload {
    public static let type = "field-training.competency-attested.v1"
    public var fto: OfficerID
    public var statement: String
    public init(fto: OfficerID, statement: String) {
        self.fto = fto
        self.statement = statement
    }
}

/// Release to solo patrol, signed by the training sergeant with the chief's (or designee's)
/// concurrence.
public struct SoloPatrolCleared: TrainingEventPayload {
    public static let type = "field-training.solo-patrol-cleared.v1"
    public var date: Day
    public var releaseStatement: String
    public var concurredBy: OfficerID
    public var concurrerRole: Role
    public init(date: Day, releaseStatement: String, concurredBy: OfficerID, concurrerRole: Role) {
        self.date = date
        self.releaseStatement = releaseStatement
        self.concurredBy = concurredBy
        self.concurrerRole = concurrerRole
    }
}

/// The training sergeant asks the chief (or a designee) to concur in a release to solo patrol;
/// nothing is released until they do (POST Regulation 1004: the department head's concurrence).
public struct SoloReleaseRequested: TrainingEventPayload {
    public static let type = "field-training.solo-release-requested.v1"
    public var date: Day
    public var releaseStatement: String
    public init(date: Day, releaseStatement: String) {
        self.date = date
        self.releaseStatement = releaseStatement
    }
}

/// The chief (or a designee) declines a requested release; the sergeant may request again.
public struct SoloReleaseDeclined: TrainingEventPayload {
    public static let type = "field-training.solo-release-declined.v1"
    public var reason: String
    public init(reason: String) { self.reason = reason }
}
