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

    public init(
        actor: Actor, subject: OfficerID? = nil, today: Day, policies: PolicyBook = .default,
        ftoQualifications: [OfficerID: FTOQualificationRecord] = [:], newEntryIDs: [EntryID]
    ) {
        self.actor = actor
        self.subject = subject
        self.today = today
        self.policies = policies
        self.ftoQualifications = ftoQualifications
        self.newEntryIDs = newEntryIDs
    }
}
