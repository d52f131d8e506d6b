/// Every fact the training log records.
public enum TrainingEvent: Hashable, Sendable {
    case recruitHired(RecruitHired)
    case academyEnrolled(AcademyEnrolled)
    case academyTestRecorded(AcademyTestRecorded)
    case academyGraduated(AcademyGraduated)
    case academyRecycled(AcademyRecycled)
    case fieldTrainingStarted(FieldTrainingStarted)
    case ftoAssigned(FTOAssigned)
    case supervisorWeeklyReported(SupervisorWeeklyReported)
    case dailyObservationReported(DailyObservationReported)
    case dailyObservationAcknowledged(DailyObservationAcknowledged)
    case traineeRebuttalFiled(TraineeRebuttalFiled)
    case trainingTaskSignedOff(TrainingTaskSignedOff)
    case remedialTrainingAssigned(RemedialTrainingAssigned)
    case remedialTrainingCompleted(RemedialTrainingCompleted)
    case remedialTrainingFailed(RemedialTrainingFailed)
    case phaseExtended(PhaseExtended)
    case phaseCompleted(PhaseCompleted)
    case competencyAttested(CompetencyAttested)
    case soloPatrolCleared(SoloPatrolCleared)
    case probationStarted(ProbationStarted)
    case probationReviewed(ProbationReviewed)
    case probationExtended(ProbationExtended)
    case probationCompleted(ProbationCompleted)
    case courseCompleted(CourseCompleted)
    case ftoQualified(FTOQualified)
    case ftoUpdateCompleted(FTOUpdateCompleted)
    case ftoTrainingProhibited(FTOTrainingProhibited)
    case separated(Separated)
    indirect case entryCorrected(EntryCorrected)
    case entryRetracted(EntryRetracted)
    case trainingPolicyAdopted(TrainingPolicyAdopted)

    /// The payload, for encoding and for naming the kind of entry.
    public var payload: any TrainingEventPayload {
        switch self {
        case .recruitHired(let p): p
        case .academyEnrolled(let p): p
        case .academyTestRecorded(let p): p
        case .academyGraduated(let p): p
        case .academyRecycled(let p): p
        case .fieldTrainingStarted(let p): p
        case .ftoAssigned(let p): p
        case .supervisorWeeklyReported(let p): p
        case .dailyObservationReported(let p): p
        case .dailyObservationAcknowledged(let p): p
        case .traineeRebuttalFiled(let p): p
        case .trainingTaskSignedOff(let p): p
        case .remedialTrainingAssigned(let p): p
        case .remedialTrainingCompleted(let p): p
        case .remedialTrainingFailed(let p): p
        case .phaseExtended(let p): p
        case .phaseCompleted(let p): p
        case .competencyAttested(let p): p
        case .soloPatrolCleared(let p): p
        case .probationStarted(let p): p
        case .probationReviewed(let p): p
        case .probationExtended(let p): p
        case .probationCompleted(let p): p
        case .courseCompleted(let p): p
        case .ftoQualified(let p): p
        case .ftoUpdateCompleted(let p): p
        case .ftoTrainingProhibited(let p): p
        case .separated(let p): p
        case .entryCorrected(let p): p
        case .entryRetracted(let p): p
        case .trainingPolicyAdopted(let p): p
        }
    }

    /// The stored type name.
    public var type: String { Swift.type(of: payload).type }
}

/// An event with what the log records around it: its id, business date and author.
public struct Entry: Hashable, Sendable {
    public var id: EntryID
    /// Business time: the day it happened.
    public var occurredOn: Day
    public var actor: Actor
    public var event: TrainingEvent

    public init(id: EntryID, occurredOn: Day, actor: Actor, event: TrainingEvent) {
        self.id = id
        self.occurredOn = occurredOn
        self.actor = actor
        self.event = event
    }
}
