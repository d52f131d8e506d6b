/// What a command is decided with besides the state itself: who acts, on whose record, on
/// which day, under which policies, and the ids the new entries take.
public struct CommandContext: Sendable {
    public var actor: Actor
    /// The person whose record this is (a trainee's id or an officer's), when the record is a
    /// person's: nobody supervises, rates or signs for themselves.
    public var subject: OfficerID?
    /// The caller's clock: no business date may be after it.
    public var today: Day
    public var policies: PolicyBook
    /// Qualification records of the FTOs the command names (from their own files).
    public var ftoQualifications: [OfficerID: FTOQualificationRecord]
    /// Ids for the entries the decision creates, used in order.
    public var newEntryIDs: [EntryID]
    /// Why an entry a plausibility check questions is right anyway (recorded beside it, where
    /// policy allows overriding that check).
    public var overrideReason: String?
    /// The paper record the command transcribes, when it is a backfill from paper.
    public var document: PaperDocument?
    /// Who holds each badge number in the agency (for hires).
    public var badgeHolders: [String: TraineeID]

    public init(
        actor: Actor, subject: OfficerID? = nil, today: Day, policies: PolicyBook = .default,
        ftoQualifications: [OfficerID: FTOQualificationRecord] = [:], newEntryIDs: [EntryID], overrideReason: String? = nil,
        document: PaperDocument? = nil, badgeHolders: [String: TraineeID] = [:]
    ) {
        self.actor = actor
        self.subject = subject
        self.today = today
        self.policies = policies
        self.ftoQualifications = ftoQualifications
        self.newEntryIDs = newEntryIDs
        self.overrideReason = overrideReason
        self.document = document
        self.badgeHolders = badgeHolders
    }
}

/// A paper record an entry is transcribed from: what it is (a binder and page, a scanned
/// form's reference) and the day it was signed. The entry keeps its business date; the record
/// says it came from paper, so it is not "late".
public struct PaperDocument: Hashable, Sendable, Codable {
    public var reference: String
    public var signedOn: Day

    public init(reference: String, signedOn: Day) {
        self.reference = reference
        self.signedOn = signedOn
    }
}
