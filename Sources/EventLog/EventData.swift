public import Foundation

/// An event about to be appended: what the writer supplies. The store adds the stream,
/// version, position, recorded time and hash.
public struct EventData: Hashable, Sendable {
    /// Unique across the log. Appending the same ids again is an idempotent retry.
    public var id: UUID
    /// The stored type name, explicit and versioned (`field-training.dor-filed.v1`),
    /// never derived from a Swift type name.
    public var type: String
    /// The payload shape's version, for upcasting older shapes on read.
    public var schemaVersion: Int
    /// The payload as canonical JSON object text.
    public private(set) var data: String
    public private(set) var metadata: EventMetadata
    /// Business time: when the shift, test or course happened. Microsecond precision.
    public private(set) var occurredAt: Date
    /// The metadata as canonical JSON, computed once: it is stored and hashed on every append.
    public private(set) var canonicalMetadata: String

    /// - Throws: ``EventLogError`` when the payload is not a JSON object, is too large, the
    ///   type name is empty or the metadata lacks an actor and role.
    public init(
        id: UUID, type: String, schemaVersion: Int = 1, data: String, metadata: EventMetadata, occurredAt: Date
    ) throws {
        guard !type.isEmpty, type.utf8.count <= 200, !type.contains(where: \.isWhitespace) else {
            throw EventLogError(code: .invalidEventType, message: "event type \"\(type.prefix(40))\" must be 1–200 characters with no spaces")
        }
        guard schemaVersion >= 1 else {
            throw EventLogError(code: .invalidEventType, message: "schema version of \(type) must be at least 1")
        }
        try metadata.validate()
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.data = try CanonicalJSON.canonicalize(data, field: "data of \(type)")
        self.metadata = metadata
        self.canonicalMetadata = metadata.canonicalJSON()
        self.occurredAt = Microseconds.truncate(occurredAt)
    }

    /// Encodes `payload` as the event's data.
    public init(
        id: UUID, type: String, schemaVersion: Int = 1, payload: some Encodable, metadata: EventMetadata, occurredAt: Date
    ) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let json = String(decoding: try encoder.encode(payload), as: UTF8.self)
        try self.init(id: id, type: type, schemaVersion: schemaVersion, data: json, metadata: metadata, occurredAt: occurredAt)
    }

    /// The bytes the hash chain covers for this event at `version` of `stream`.
    public func hashContent(stream: StreamID, version: Int) -> [UInt8] {
        EventHash.content(
            stream: stream, version: version, eventID: id, type: type, schemaVersion: schemaVersion,
            canonicalData: data, canonicalMetadata: canonicalMetadata,
            occurredAtMicros: Microseconds.since1970(occurredAt))
    }

}

/// An event as stored in the log.
public struct RecordedEvent: Hashable, Sendable {
    public var stream: StreamID
    /// 1, 2, 3… within the stream.
    public var version: Int
    public var position: LogPosition
    public var id: UUID
    public var type: String
    public var schemaVersion: Int
    /// Payload JSON text: the same value that was appended, not necessarily the same text
    /// (PostgreSQL's jsonb writes `{"a": 1}`).
    public var data: String
    public var metadata: EventMetadata
    /// Business time.
    public var occurredAt: Date
    /// When the log learned it (the database's clock).
    public var recordedAt: Date

    public init(
        stream: StreamID, version: Int, position: LogPosition, id: UUID, type: String, schemaVersion: Int,
        data: String, metadata: EventMetadata, occurredAt: Date, recordedAt: Date
    ) {
        self.stream = stream
        self.version = version
        self.position = position
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.data = data
        self.metadata = metadata
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
    }

    /// Decodes the payload.
    public func decode<T: Decodable>(_: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(T.self, from: Data(data.utf8))
        } catch {
            throw EventLogError(
                code: .corruptEvent,
                message: "event \(type) at \(stream) version \(version) (position \(position)) does not decode as \(T.self)",
                stream: stream)
        }
    }
}

/// What an append wrote (or, for an idempotent retry, what the original append wrote).
public struct AppendResult: Hashable, Sendable {
    public var stream: StreamID
    /// Version of the first event appended.
    public var firstVersion: Int
    /// Version of the last event appended: the expected version for the next append.
    public var lastVersion: Int
    public var positions: [LogPosition]

    public init(stream: StreamID, firstVersion: Int, lastVersion: Int, positions: [LogPosition]) {
        self.stream = stream
        self.firstVersion = firstVersion
        self.lastVersion = lastVersion
        self.positions = positions
    }
}
