import EventLogPostgres
import Postgres

extension MusterDatabase {
    /// Runs `body` with the accounts (for the console: invitations, tokens).
    public func withAccounts<T: Sendable>(settings: AccountSettings, _ body: (Accounts) async throws -> T) async throws -> T {
        try await withSessionClient { try await body(Accounts(client: $0, clock: clock, settings: settings)) }
    }

    /// Runs `body` with the agency's access log (for compliance reviewers at the console).
    public func withAccessLog<T: Sendable>(_ body: (AccessLog) async throws -> T) async throws -> T {
        try await withSessionClient { try await body(AccessLog(client: $0)) }
    }

    /// Verifies the access log's one chain, every agency's rows (a system connection: an
    /// agency's session sees only its own rows, not the whole chain).
    public func verifyAccessLog() async throws -> AccessLog.Report {
        try await withClient { try await AccessLog(client: $0).verify() }
    }
}
