public import EventLog
public import Postgres

extension PostgresError {
    /// The event-log view of a database failure: what happened and what to do next.
    public func eventLogError(stream: StreamID? = nil) -> EventLogError {
        switch (code, sqlState) {
        case (.connectionFailed, _), (.connectionLost, _):
            return EventLogError(
                code: .storageUnavailable,
                message: "the database is unavailable (\(message)); start it with scripts/db start or check MUSTER_DATABASE_URL",
                stream: stream, cause: self)
        case (_, SQLState.undefinedTable?), (_, SQLState.invalidCatalogName?):
            return EventLogError(
                code: .notMigrated,
                message: "the database has no event log yet (\(message)); run `muster db migrate`",
                stream: stream, cause: self)
        case (_, SQLState.appendOnlyViolation?):
            return EventLogError(code: .appendOnlyViolation, message: message, stream: stream, cause: self)
        case (_, SQLState.agencyViolation?):
            return EventLogError(code: .wrongAgency, message: message + (hint.map { "; \($0)" } ?? ""), stream: stream, cause: self)
        case (_, SQLState.invalidTextRepresentation?):
            return EventLogError(code: .invalidValue, message: "the database refused a value: \(message)", stream: stream, cause: self)
        case (_, SQLState.insufficientPrivilege?):
            return EventLogError(
                code: .storageUnavailable,
                message: "permission denied: \(message); connect as a role granted muster_app (writers) or muster_reader (reports)",
                stream: stream, cause: self)
        default:
            return EventLogError(code: .storageUnavailable, message: "database error: \(description)", stream: stream, cause: self)
        }
    }

    var isUniqueViolation: Bool { sqlState == SQLState.uniqueViolation }
}

/// Runs `body`, turning a `PostgresError` into an `EventLogError` (what every module above the
/// database shows its callers).
public func withEventLogErrors<T>(
    isolation: isolated (any Actor)? = #isolation, stream: StreamID? = nil, _ body: () async throws -> T
) async throws -> T {
    do {
        return try await body()
    } catch let error as PostgresError {
        throw error.eventLogError(stream: stream)
    }
}

extension PostgresClient {
    /// Connects, reporting a failure as an `EventLogError` (`storageUnavailable` and what to do).
    public static func connectForEventLog(_ configuration: PostgresConfiguration) async throws -> PostgresClient {
        try await withEventLogErrors { try await PostgresClient.connect(configuration) }
    }
}
