public import EventLog
public import Foundation
public import TrainingDomain

/// How entries came to be recorded: through which door (`source`), by which command, and how
/// the actor proved who they are. Stored in every event's metadata beside the actor and role.
public struct Provenance: Sendable, Hashable {
    /// `cli`, `api`, `web`, `seed:demo`, `import:<presenter>`, `operator`.
    public var source: String
    /// One per command: a retry of the same command (same id) records nothing new and returns
    /// what the first attempt recorded. Entry ids are derived from it.
    public var commandID: UUID
    /// `local` (the command line, as the signed-in OS user), `session`, `session+totp`, `token`.
    public var authentication: String?
    /// The HTTP request that carried the command, when one did.
    public var requestID: String?
    /// The paper record the command transcribes (a backfill): entries from paper carry it, and
    /// are not "late".
    public var document: PaperDocument?

    public init(
        source: String = "cli", commandID: UUID = UUID(), authentication: String? = nil, requestID: String? = nil,
        document: PaperDocument? = nil
    ) {
        self.source = source
        self.commandID = commandID
        self.authentication = authentication
        self.requestID = requestID
        self.document = document
    }

    /// The id of the `index`th entry a command records: a name-based UUID (version 8) from the
    /// command id, so a retried command proposes the same entries and an append cannot
    /// duplicate them.
    public func entryID(_ index: Int) -> EntryID {
        var bytes = Array("muster.entry".utf8)
        withUnsafeBytes(of: commandID.uuid) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(index).bigEndian) { bytes.append(contentsOf: $0) }
        var id = Array(EventHash.sha256(bytes).prefix(16))
        id[6] = (id[6] & 0x0F) | 0x80
        id[8] = (id[8] & 0x3F) | 0x80
        let uuid = UUID(
            uuid: (id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7], id[8], id[9], id[10], id[11], id[12], id[13], id[14], id[15]))
        return EntryID(uuid.lowercasedText)
    }

    /// Whether `event` was recorded by this command.
    public func recorded(_ event: RecordedEvent) -> Bool { event.metadata.commandID == commandID }
}
