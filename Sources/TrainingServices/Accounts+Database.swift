import EventLogPostgres
import Postgres

extension MusterDatabase {
    /// Runs `body` with the accounts (for the console: invitations, tokens).
    public func withAccounts<T: Sendable>(settings: AccountSettings, _ body: (Accounts) async throws -> T) async throws -> T {
        try await withClient { try await body(Accounts(client: $0, clock: clock, settings: settings)) }
    }

    /// Runs `body` with the access log (for compliance reviewers at the console).
    public func withAccessLog<T: Sendable>(_ body: (AccessLog) async throws -> T) async throws -> T {
        try await withClient { try await body(AccessLog(client: $0)) }
    }
}
