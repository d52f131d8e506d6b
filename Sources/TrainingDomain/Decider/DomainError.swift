/// A rule the command breaks. `message` names the person, the rule, and what would make the
/// command pass, e.g. "Dana Whitfield (R-2291): phase 2 cannot be signed off: remedial training
/// in report writing is still open (assigned 2025-04-02); complete or fail it first".
public struct DomainError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Rule: String, Hashable, Sendable, CaseIterable {
        case notAuthorized, invalidInput, futureDate, notHired, alreadyHired, separated
        case notInAcademy, retestLimit, testsOutstanding, alreadyGraduated, notGraduated
        case notInFieldTraining, alreadyInFieldTraining, wrongPhase, ftoNotAssigned, ftoNotQualified, shiftBeforePhase
        case ratingOutOfRange, unknownCategory, narrativeRequired, unknownEntry, alreadyAcknowledged
        case remedialOpen, remedialNotOpen, phaseTooShort, extensionLimit, soloGatesFailing, alreadyCleared, notCleared
        case probationNotStarted, alreadyOnProbation, extensionTooLate, probationNotOver, reviewsMissing, alreadyCompleted
        case unknownCourse, instructorRequired, correctionNotAllowed, duplicateDOR
        case ownRecord, alreadyRegistered, invalidPolicy, unreadableEntry, releaseNotRequested, unknownUser, userDisabled
        case implausible, evaluationMissing, unknownTask, taskNotSigned
    }

    public var rule: Rule
    public var message: String
    /// The plausibility check that refused it, for `.implausible`.
    public var check: PlausibilityCheck?

    public init(_ rule: Rule, _ message: String, check: PlausibilityCheck? = nil) {
        self.rule = rule
        self.message = message
        self.check = check
    }

    public var description: String { message }
}
