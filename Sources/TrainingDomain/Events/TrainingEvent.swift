/// Every fact the training log records.
///
/// `indirect`: payloads are boxed, so an event is one pointer wide and copying entries while
/// folding costs a retain, not a copy of the largest payload (a whole training policy).
public indirect enum TrainingEvent: Hashable, Sendable {
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
    case entryCorrected(EntryCorrected)
    case entryRetracted(EntryRetracted)
    case trainingPolicyAdopted(TrainingPolicyAdopted)
    case userRegistered(UserRegistered)
    case unreadableEntryResolved(UnreadableEntryResolved)
    case soloReleaseRequested(SoloReleaseRequested)
    case soloReleaseDeclined(SoloReleaseDeclined)
    case userDisabled(UserDisabled)
    case userEnabled(UserEnabled)
    case userRoleChanged(UserRoleChanged)
    case orientationCompleted(OrientationCompleted)
    case trainingTaskAcknowledged(TrainingTaskAcknowledged)
    case endOfPhaseReported(EndOfPhaseReported)
    case phaseEvaluated(PhaseEvaluated)
    case basicCertificateAwarded(BasicCertificateAwarded)
    case patrolAssignmentStarted(PatrolAssignmentStarted)
    case coordinatorAppointed(CoordinatorAppointed)
    case plausibilityOverridden(PlausibilityOverridden)
    /// A stored entry the read side could not decode (never stored as such).
    case unreadable(UnreadableEntry)

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
        case .userRegistered(let p): p
        case .unreadableEntryResolved(let p): p
        case .soloReleaseRequested(let p): p
        case .soloReleaseDeclined(let p): p
        case .userDisabled(let p): p
        case .userEnabled(let p): p
        case .userRoleChanged(let p): p
        case .orientationCompleted(let p): p
        case .trainingTaskAcknowledged(let p): p
        case .endOfPhaseReported(let p): p
        case .phaseEvaluated(let p): p
        case .basicCertificateAwarded(let p): p
        case .patrolAssignmentStarted(let p): p
        case .coordinatorAppointed(let p): p
        case .plausibilityOverridden(let p): p
        case .unreadable(let p): p
        }
    }

    /// The stored type name (a static string per case: folding allocates nothing for it).
    public var type: String {
        switch self {
        case .recruitHired: RecruitHired.type
        case .academyEnrolled: AcademyEnrolled.type
        case .academyTestRecorded: AcademyTestRecorded.type
        case .academyGraduated: AcademyGraduated.type
        case .academyRecycled: AcademyRecycled.type
        case .fieldTrainingStarted: FieldTrainingStarted.type
        case .ftoAssigned: FTOAssigned.type
        case .supervisorWeeklyReported: SupervisorWeeklyReported.type
        case .dailyObservationReported: DailyObservationReported.type
        case .dailyObservationAcknowledged: DailyObservationAcknowledged.type
        case .traineeRebuttalFiled: TraineeRebuttalFiled.type
        case .trainingTaskSignedOff: TrainingTaskSignedOff.type
        case .remedialTrainingAssigned: RemedialTrainingAssigned.type
        case .remedialTrainingCompleted: RemedialTrainingCompleted.type
        case .remedialTrainingFailed: RemedialTrainingFailed.type
        case .phaseExtended: PhaseExtended.type
        case .phaseCompleted: PhaseCompleted.type
        case .competencyAttested: CompetencyAttested.type
        case .soloPatrolCleared: SoloPatrolCleared.type
        case .probationStarted: ProbationStarted.type
        case .probationReviewed: ProbationReviewed.type
        case .probationExtended: ProbationExtended.type
        case .probationCompleted: ProbationCompleted.type
        case .courseCompleted: CourseCompleted.type
        case .ftoQualified: FTOQualified.type
        case .ftoUpdateCompleted: FTOUpdateCompleted.type
        case .ftoTrainingProhibited: FTOTrainingProhibited.type
        case .separated: Separated.type
        case .entryCorrected: EntryCorrected.type
        case .entryRetracted: EntryRetracted.type
        case .trainingPolicyAdopted: TrainingPolicyAdopted.type
        case .userRegistered: UserRegistered.type
        case .unreadableEntryResolved: UnreadableEntryResolved.type
        case .soloReleaseRequested: SoloReleaseRequested.type
        case .soloReleaseDeclined: SoloReleaseDeclined.type
        case .userDisabled: UserDisabled.type
        case .userEnabled: UserEnabled.type
        case .userRoleChanged: UserRoleChanged.type
        case .orientationCompleted: OrientationCompleted.type
        case .trainingTaskAcknowledged: TrainingTaskAcknowledged.type
        case .endOfPhaseReported: EndOfPhaseReported.type
        case .phaseEvaluated: PhaseEvaluated.type
        case .basicCertificateAwarded: BasicCertificateAwarded.type
        case .patrolAssignmentStarted: PatrolAssignmentStarted.type
        case .coordinatorAppointed: CoordinatorAppointed.type
        case .plausibilityOverridden: PlausibilityOverridden.type
        case .unreadable(let p): p.storedType
        }
    }
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
