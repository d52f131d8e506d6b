/// An error from an event store.
///
/// Match on ``code``: `catch let error as EventLogError where error.code == .wrongExpectedVersion`.
/// `description` says what happened and what to do next, without payloads or personal data;
/// `debugDescription` adds the underlying cause.
public struct EventLogError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case wrongExpectedVersion, duplicateEvent, duplicateValue, corruptEvent, storageUnavailable, notMigrated
            case invalidStreamName, emptyAppend, payloadTooLarge, invalidJSON, invalidMetadata, appendOnlyViolation
            case invalidEventID, invalidEventType, invalidValue, invalidKey
            case migrationEdited, migrationFailed, wrongAgency
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The stream was not at the version the writer expected.
        public static let wrongExpectedVersion = Code(.wrongExpectedVersion)
        /// An event id is already in the log with different content or in another stream.
        public static let duplicateEvent = Code(.duplicateEvent)
        /// A payload value the log keeps unique (a badge number) is already in it; `constraint`
        /// names the rule.
        public static let duplicateValue = Code(.duplicateValue)
        /// A stored event cannot be read back.
        public static let corruptEvent = Code(.corruptEvent)
        /// The database cannot be reached.
        public static let storageUnavailable = Code(.storageUnavailable)
        /// The database has no event log tables yet.
        public static let notMigrated = Code(.notMigrated)
        /// The write names, or belongs to, an agency other than the one the session acts for
        /// (or the session acts for none).
        public static let wrongAgency = Code(.wrongAgency)
        public static let invalidStreamName = Code(.invalidStreamName)
        public static let emptyAppend = Code(.emptyAppend)
        public static let payloadTooLarge = Code(.payloadTooLarge)
        public static let invalidJSON = Code(.invalidJSON)
        public static let invalidMetadata = Code(.invalidMetadata)
        /// An event id that is not a UUID.
        public static let invalidEventID = Code(.invalidEventID)
        /// An event type name that is empty, too long or has spaces, or a schema version below 1.
        public static let invalidEventType = Code(.invalidEventType)
        /// The database refused a value as malformed (a bad date, number or id).
        public static let invalidValue = Code(.invalidValue)
        /// A seal key file that is missing, damaged or of the wrong kind.
        public static let invalidKey = Code(.invalidKey)
        /// Something tried to update, delete or truncate the log.
        public static let appendOnlyViolation = Code(.appendOnlyViolation)
        /// An already-applied migration file was changed.
        public static let migrationEdited = Code(.migrationEdited)
        public static let migrationFailed = Code(.migrationFailed)

        public var description: String { base.rawValue }
    }

    public var code: Code
    public var message: String
    public var stream: StreamID?
    public var expectedVersion: ExpectedVersion?
    public var actualVersion: Int?
    public var cause: (any Error & Sendable)?
    /// The database constraint that refused the write, for `duplicateValue`.
    public var constraint: String?
    public var file: String
    public var line: Int

    public init(
        code: Code, message: String, stream: StreamID? = nil, expectedVersion: ExpectedVersion? = nil,
        actualVersion: Int? = nil, cause: (any Error & Sendable)? = nil, constraint: String? = nil, file: String = #fileID,
        line: Int = #line
    ) {
        self.constraint = constraint
        self.code = code
        self.message = message
        self.stream = stream
        self.expectedVersion = expectedVersion
        self.actualVersion = actualVersion
        self.cause = cause
        self.file = file
        self.line = line
    }

    public static func wrongExpectedVersion(
        stream: StreamID, expected: ExpectedVersion, actual: Int, file: String = #fileID, line: Int = #line
    ) -> EventLogError {
        let found = actual == 0 ? "it does not exist" : "it is at version \(actual)"
        return EventLogError(
            code: .wrongExpectedVersion,
            message: "stream \(stream) was expected at \(expected) but \(found); read it again and retry",
            stream: stream, expectedVersion: expected, actualVersion: actual, file: file, line: line)
    }

    public var description: String { message }

    public var debugDescription: String {
        var text = "EventLogError.\(code): \(message) at \(file):\(line)"
        if let cause { text += "\ncaused by: \(String(reflecting: cause))" }
        return text
    }
}

extension EventLogError.Code {
    /// Lets `catch EventLogError.Code.wrongExpectedVersion` match any error with that code.
    public static func ~= (code: EventLogError.Code, error: any Error) -> Bool {
        (error as? EventLogError)?.code == code
    }
}
