public import Foundation

/// Who wrote an event, in what role, and why: stored beside every event.
public struct EventMetadata: Hashable, Sendable, Codable {
    /// The acting user (a user id or name).
    public var actorID: String
    /// The role the actor acted in (e.g. `training_sergeant`, `fto`, `system`).
    public var actorRole: String
    /// Groups the events of one request or import.
    public var correlationID: UUID?
    /// The event or command that caused this one.
    public var causationID: UUID?
    /// Where the record came from: `cli`, `api`, `web`, `import:<presenter>`, `operator`.
    public var source: String?
    /// The command that recorded it: a retried command finds its own entries by this id and
    /// records nothing twice.
    public var commandID: UUID?
    /// How the actor proved who they are (`session`, `session+totp`, `token`, `local`).
    public var authentication: String?
    /// The request that carried the command (an HTTP request id), for correlating logs.
    public var requestID: String?
    /// The paper record an entry was transcribed from (a backfill), and the day it was signed.
    public var document: String?
    public var documentSignedOn: String?

    public init(
        actorID: String, actorRole: String, correlationID: UUID? = nil, causationID: UUID? = nil, source: String? = nil,
        commandID: UUID? = nil, authentication: String? = nil, requestID: String? = nil, document: String? = nil,
        documentSignedOn: String? = nil
    ) {
        self.actorID = actorID
        self.actorRole = actorRole
        self.correlationID = correlationID
        self.causationID = causationID
        self.source = source
        self.commandID = commandID
        self.authentication = authentication
        self.requestID = requestID
        self.document = document
        self.documentSignedOn = documentSignedOn
    }

    enum CodingKeys: String, CodingKey {
        case actorID = "actor_id"
        case actorRole = "actor_role"
        case correlationID = "correlation_id"
        case causationID = "causation_id"
        case source
        case commandID = "command_id"
        case authentication
        case requestID = "request_id"
        case document
        case documentSignedOn = "document_signed_on"
    }

    /// Parses metadata given as JSON text (for example on the command line).
    public init(json: String) throws {
        let canonical = try CanonicalJSON.canonicalize(json, field: "metadata")
        do {
            self = try JSONDecoder().decode(EventMetadata.self, from: Data(canonical.utf8))
        } catch {
            throw EventLogError(
                code: .invalidMetadata,
                message: "metadata must be a JSON object with string fields actor_id and actor_role "
                    + "(optional: correlation_id, causation_id, command_id as UUIDs; source, authentication, request_id, document, document_signed_on)"
            )
        }
        try validate()
    }

    func validate() throws {
        guard !actorID.trimmingCharacters(in: .whitespaces).isEmpty,
            !actorRole.trimmingCharacters(in: .whitespaces).isEmpty
        else {
            throw EventLogError(
                code: .invalidMetadata,
                message: "metadata needs a non-empty actor_id and actor_role: every record says who wrote it and in what role")
        }
    }

    /// Canonical JSON text (sorted keys, no whitespace), as stored and hashed.
    func canonicalJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a struct of strings and UUIDs cannot fail.
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
