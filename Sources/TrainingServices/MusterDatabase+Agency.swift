import EventLog
import EventLogPostgres
import Postgres
public import TrainingDomain
public import TrainingProjections

/// Sessions acting for one agency (schema/0009_agencies.sql, docs/AGENCIES.md).
///
/// Every connection a service opens asks the server, at connect, to act as the application's
/// role (`muster_app`, whatever the login: a superuser's URL gives up its bypass of row-level
/// security) for one agency (`muster.agency`). The database's policies then show and accept
/// only that agency's rows; the system's own connections (migrations, the projector, audits,
/// seals, rebuilds, backups) keep the login's privileges.
extension MusterDatabase {
    /// How an agency id is spelled: letters, digits, `.`, `_` and `-`, at most 64, as the
    /// log's check constraint has it.
    public static func validate(agency: AgencyID) throws(DomainError) {
        let text = agency.rawValue
        let allowed = text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2E
                || byte == 0x5F || byte == 0x2D
        }
        guard allowed, (1...64).contains(text.utf8.count), let first = text.utf8.first, first != 0x2E, first != 0x5F, first != 0x2D else {
            throw DomainError(
                .invalidInput,
                "agency: \"\(text)\" is not an agency id (1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit); "
                    + "check --agency or MUSTER_AGENCY")
        }
    }

    /// The connection settings for `agency`'s sessions: `base` plus the role and the agency.
    static func session(_ base: PostgresConfiguration, agency: AgencyID) throws(DomainError) -> PostgresConfiguration {
        try validate(agency: agency)
        var session = base
        let acting = "-c role=muster_app -c muster.agency=\(agency.rawValue)"
        session.options = base.options.map { "\($0) \(acting)" } ?? acting
        return session
    }

    /// The primary, acting for ``agency``.
    func sessionConfiguration() throws(DomainError) -> PostgresConfiguration {
        try Self.session(configuration, agency: agency)
    }

    /// The replica (if any), acting for ``agency``.
    func readSessionConfiguration() throws(DomainError) -> PostgresConfiguration? {
        try readConfiguration.map { (base) throws(DomainError) in try Self.session(base, agency: agency) }
    }
}

extension MusterDatabase {
    /// The statewide role's connection settings: every agency's rows, no writes.
    func statewideConfiguration() -> PostgresConfiguration {
        var statewide = configuration
        let acting = "-c role=muster_state -c default_transaction_read_only=on"
        statewide.options = configuration.options.map { "\($0) \(acting)" } ?? acting
        statewide.applicationName = "muster-statewide"
        return statewide
    }

    /// Runs `body` with the read models as the statewide role (`muster_state`: a standards
    /// commission's staff) sees them: every agency, read-only. The login must be granted
    /// `muster_state` (or be the database's owner).
    public func withStatewideReadModels<T: Sendable>(_ body: (ReadModelQueries) async throws -> T) async throws -> T {
        try await using(
            {
                do {
                    return try await PostgresClient.connectForEventLog(statewideConfiguration())
                } catch let error as PostgresError where error.message.contains("permission denied to set role") {
                    throw AccountError(
                        .notConfigured, "the database login cannot act as the statewide role: grant it muster_state (docs/AGENCIES.md)")
                }
            }, close: { await $0.close() },
            { try await body(ReadModelQueries(client: $0)) })
    }
}
