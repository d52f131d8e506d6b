// The program as POST's Field Training Program Guide structures it: orientation, the
// checklist's two signatures, end-of-phase reports and phase evaluations, FTO eligibility,
// the program's coordinator, and overrides of plausibility checks.

/// Agency orientation before the phases (POST: at least one week).
public struct OrientationCompleted: TrainingEventPayload {
    public static let type = "field-training.orientation-completed.v1"
    public var from: Day
    public var to: Day
    public var topics: [String]
    public init(from: Day, to: Day, topics: [String] = []) {
        self.from = from
        self.to = to
        self.topics = topics
    }
}

/// The trainee acknowledges a checklist task the FTO signed (both sign each item).
public struct TrainingTaskAcknowledged: TrainingEventPayload {
    public static let type = "field-training.task-acknowledged.v1"
    public var task: String
    public init(task: String) { self.task = task }
}

/// What an end-of-phase report or a phase evaluation recommends.
public enum PhaseRecommendation: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Ready for the next phase (or, after the last, for release).
    case advance
    /// Needs more time in this phase.
    case extend
    /// Needs remedial training before advancing.
    case remedial
    /// Should be released from the program.
    case terminate

    public var description: String { rawValue }
}

/// The FTO's End of Phase Report (POST FTP Guide, A-4): a rating per category over the phase,
/// what went well and what did not, and a recommendation.
public struct EndOfPhaseReported: TrainingEventPayload {
    public static let type = "field-training.end-of-phase-reported.v1"
    public var phase: Int
    public var fto: OfficerID
    public var ratings: [Category: Rating]
    public var strengths: [Category]
    public var needsImprovement: [Category]
    public var recommendation: PhaseRecommendation
    public var narrative: String
    public init(
        phase: Int, fto: OfficerID, ratings: [Category: Rating], strengths: [Category], needsImprovement: [Category],
        recommendation: PhaseRecommendation, narrative: String
    ) {
        self.phase = phase
        self.fto = fto
        self.ratings = ratings
        self.strengths = strengths
        self.needsImprovement = needsImprovement
        self.recommendation = recommendation
        self.narrative = narrative
    }
}

/// The Phase Evaluation Report (POST FTP Guide, A-7): an evaluator other than the phase's own
/// FTO rates the trainee against the solo standard and says whether they advance.
public struct PhaseEvaluated: TrainingEventPayload {
    public static let type = "field-training.phase-evaluated.v1"
    public var phase: Int
    public var evaluator: OfficerID
    public var ratings: [Category: Rating]
    public var recommendation: PhaseRecommendation
    public var narrative: String
    public init(phase: Int, evaluator: OfficerID, ratings: [Category: Rating], recommendation: PhaseRecommendation, narrative: String) {
        self.phase = phase
        self.evaluator = evaluator
        self.ratings = ratings
        self.recommendation = recommendation
        self.narrative = narrative
    }
}

/// A POST Basic Certificate, on an officer's file (an FTO must hold one).
public struct BasicCertificateAwarded: TrainingEventPayload {
    public static let type = "certification.basic-certificate-awarded.v1"
    public var certificate: String
    public var date: Day
    public init(certificate: String, date: Day) {
        self.certificate = certificate
        self.date = date
    }
}

/// The officer began general uniformed patrol (an FTO needs at least a year of it).
public struct PatrolAssignmentStarted: TrainingEventPayload {
    public static let type = "assignment.patrol-started.v1"
    public var date: Day
    public init(date: Day) { self.date = date }
}

/// The department head appoints the Field Training Supervisor/Administrator/Coordinator (SAC)
/// of the program (stream `users`).
public struct CoordinatorAppointed: TrainingEventPayload {
    public static let type = "access.coordinator-appointed.v1"
    public var user: OfficerID
    public var effective: Day
    public init(user: OfficerID, effective: Day) {
        self.user = user
        self.effective = effective
    }
}

/// An entry accepted although a plausibility check questioned it, with the reason, recorded
/// beside it by the same command (policy names the checks that may be overridden).
public struct PlausibilityOverridden: TrainingEventPayload {
    public static let type = "record.plausibility-overridden.v1"
    public var entry: EntryID
    public var check: PlausibilityCheck
    public var reason: String
    public init(entry: EntryID, check: PlausibilityCheck, reason: String) {
        self.entry = entry
        self.check = check
        self.reason = reason
    }
}
