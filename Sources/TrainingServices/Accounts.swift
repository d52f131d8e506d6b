import EventLog
import EventLogPostgres
public import Foundation
import HummingbirdBcrypt
import NIOPosix
public import Postgres
public import TrainingDomain
public import TrainingRecords

/// How people prove who they are to `muster serve`: passwords (bcrypt), one-time enrollment
/// codes, sessions, bearer tokens, a TOTP second factor, and throttling of failed sign-ins.
///
/// Who someone is, and whether they may act at all, is the roster's (the event log's users
/// stream): every method that admits someone takes the roster and refuses a disabled or unknown
/// user. Secrets are stored only as hashes (bcrypt for passwords, SHA-256 for random tokens and
/// codes); the TOTP key is sealed under the server's key. Every time comes from `clock`.
public struct Accounts: Sendable {
    let client: PostgresClient
    public let clock: WallClock
    public let settings: AccountSettings

    public init(client: PostgresClient, clock: WallClock, settings: AccountSettings) {
        self.client = client
        self.clock = clock
        self.settings = settings
    }

    // MARK: - Invitations and enrollment

    /// An enrollment code: shown once to the person who issued it, stored only as its hash.
    public struct Invitation: Sendable, Codable {
        public var user: String
        public var code: String
        public var expiresAt: Date
    }

    /// Issues a one-time enrollment code for `user` (replacing any unused one). A sergeant or
    /// commander invites the users ranked below them (the chief anyone); a registered user
    /// with no password yet (the very first, say) may be given their own code at the console.
    public func invite(_ user: OfficerID, by actor: Actor, roster: UserRoster) async throws -> Invitation {
        guard let member = roster.member(user), !member.disabled else {
            throw AccountError(.notFound, "no enabled user \(user) is registered; add them first (muster user add)")
        }
        let bootstrap = actor.id == user
        if bootstrap {
            guard try await passwordHash(of: user) == nil else {
                throw AccountError(.notAllowed, "\(user) already has a password; ask a sergeant or commander for a new code")
            }
        } else {
            guard Permissions.access(actor.role, .userInvite) == .any else {
                throw AccountError(
                    .notAllowed, "\(actor.id) acting as \(actor.role) may not invite users; that takes a training sergeant or a commander")
            }
            guard actor.role == .chief || member.role.rank < actor.role.rank else {
                throw AccountError(.notAllowed, "\(actor.id) acting as \(actor.role) may not invite a \(member.role); that takes a higher rank")
            }
        }
        let code = Secrets.enrollmentCode()
        let now = clock.now()
        let expires = now.addingTimeInterval(settings.invitationLifetime)
        let hash = PostgresBytes(Secrets.sha256(Secrets.normalizedCode(code)))
        try await run { connection in
            try connection.transaction { connection in
                _ = try connection.query("DELETE FROM muster.invitations WHERE user_id = \(user.rawValue) AND used_at IS NULL")
                _ = try connection.query(
                    """
                    INSERT INTO muster.invitations (code_hash, user_id, issued_by, issued_at, expires_at)
                    VALUES (\(hash), \(user.rawValue), \(actor.id.rawValue), \(now), \(expires))
                    """)
            }
        }
        return Invitation(user: user.rawValue, code: code, expiresAt: expires)
    }

    /// Sets `user`'s password with the code they were given (once; before it expires), and ends
    /// every session the user had: an enrollment is also how a forgotten password is replaced.
    public func enroll(_ user: OfficerID, code: String, password: String, roster: UserRoster) async throws {
        try Self.checkPassword(password, user: user)
        guard let member = roster.member(user), !member.disabled else {
            throw AccountError(.invitationInvalid, "that code is not valid (wrong, used or expired); ask a sergeant or commander for a new one")
        }
        let hash = PostgresBytes(Secrets.sha256(Secrets.normalizedCode(code)))
        let now = clock.now()
        let valid = try await run { connection in
            try connection.query(
                """
                SELECT 1 FROM muster.invitations
                WHERE code_hash = \(hash) AND user_id = \(user.rawValue) AND used_at IS NULL AND expires_at > \(now)
                """
            ).count == 1
        }
        guard valid else {
            throw AccountError(.invitationInvalid, "that code is not valid (wrong, used or expired); ask a sergeant or commander for a new one")
        }
        let cost = settings.bcryptCost
        let passwordHash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
        let used = try await run { connection in
            try connection.transaction { connection in
                // The code is spent by whoever marks it first: two enrollments with one code set one password.
                let spent = try connection.query(
                    "UPDATE muster.invitations SET used_at = \(now) WHERE code_hash = \(hash) AND used_at IS NULL AND expires_at > \(now)"
                ).affectedRows
                guard spent == 1 else { return false }
                _ = try connection.query(
                    """
                    INSERT INTO muster.accounts (user_id, password_hash, enrolled_at, updated_at)
                    VALUES (\(user.rawValue), \(passwordHash), \(now), \(now))
                    ON CONFLICT (agency, user_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, updated_at = EXCLUDED.updated_at
                    """)
                _ = try connection.query("UPDATE muster.sessions SET revoked_at = \(now) WHERE user_id = \(user.rawValue) AND revoked_at IS NULL")
                _ = try connection.query("DELETE FROM muster.login_failures WHERE scope = 'account' AND key = \(user.rawValue)")
                return true
            }
        }
        guard used else {
            throw AccountError(.invitationInvalid, "that code is not valid (wrong, used or expired); ask a sergeant or commander for a new one")
        }
    }

    /// A password a person chooses: 12 to 72 bytes (bcrypt reads no further), not their user id.
    static func checkPassword(_ password: String, user: OfficerID) throws {
        let length = password.utf8.count
        guard length >= 12 else { throw AccountError(.passwordRejected, "the password must have at least 12 characters") }
        guard length <= 72 else { throw AccountError(.passwordRejected, "the password must have at most 72 bytes (bcrypt reads no further)") }
        guard password.lowercased() != user.rawValue.lowercased() else {
            throw AccountError(.passwordRejected, "the password must not be the user id")
        }
    }

    // MARK: - Signing in

    /// What a successful sign-in gives: the session's secret (for the cookie, shown once) and
    /// its state.
    public struct SignIn: Sendable {
        public var token: String
        public var session: SessionInfo
        /// The role must use a second factor and the account has none: the session may only
        /// enroll one.
        public var mustEnrollSecondFactor: Bool
    }

    /// Signs `user` in with their password (and the current TOTP code when the account has a
    /// second factor). Failures are counted per account and per client address; past the
    /// limits the account is locked, or the address throttled, for a while (the error says
    /// until when). An unknown user, a wrong password and a disabled user fail alike.
    public func signIn(_ user: OfficerID, password: String, code: String?, address: String, roster: UserRoster) async throws -> SignIn {
        let now = clock.now()
        try await checkThrottles(user: user, address: address, now: now)
        let stored = try await account(user)
        let dummy = settings.dummyHash
        let candidate = stored?.passwordHash ?? dummy
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: candidate) }
        guard matches, let stored, let member = roster.member(user), !member.disabled else {
            try await recordFailure(user: user, address: address, now: now)
            throw AccountError(.invalidCredentials, "wrong user id or password")
        }
        var secondFactor = false
        if let sealed = stored.totpSealed, stored.totpLastStep != nil {
            guard let code, !code.isEmpty else {
                throw AccountError(.secondFactorRequired, "this account uses a second factor: send the current 6-digit code as `code`")
            }
            guard try await acceptTOTP(code, sealed: sealed, user: user, after: stored.totpLastStep, now: now) else {
                try await recordFailure(user: user, address: address, now: now)
                throw AccountError(.secondFactorInvalid, "wrong or reused second-factor code; wait for the next code and try again")
            }
            secondFactor = true
        }
        try await run { connection in
            _ = try connection.query("DELETE FROM muster.login_failures WHERE scope = 'account' AND key = \(user.rawValue)")
        }
        let (token, session) = try await createSession(user, secondFactor: secondFactor, address: address, now: now)
        let mustEnroll = settings.secondFactorRoles.contains(member.role) && !secondFactor
        return SignIn(token: token, session: session, mustEnrollSecondFactor: mustEnroll)
    }

    /// Refuses a sign-in while the account is locked or the address throttled.
    func checkThrottles(user: OfficerID, address: String, now: Date) async throws {
        let window = now.addingTimeInterval(-settings.failureWindow)
        let (accountFailures, lastAccountFailure, addressFailures, lastAddressFailure) = try await run { connection in
            let account = try connection.query(
                "SELECT count(*), max(failed_at) FROM muster.login_failures WHERE scope = 'account' AND key = \(user.rawValue) AND failed_at > \(window)"
            ).decodeRow(0, as: Int.self, Date?.self)
            let address = try connection.query(
                "SELECT count(*), max(failed_at) FROM muster.login_failures WHERE scope = 'address' AND key = \(address) AND failed_at > \(window)"
            ).decodeRow(0, as: Int.self, Date?.self)
            return (account.0, account.1, address.0, address.1)
        }
        if addressFailures >= settings.addressFailureLimit, let last = lastAddressFailure {
            let until = last.addingTimeInterval(settings.lockDuration)
            if until > now {
                throw AccountError(
                    .throttled, "too many failed sign-ins from this address; try again after \(Self.format(until))", until: until)
            }
        }
        if accountFailures >= settings.accountFailureLimit, let last = lastAccountFailure {
            let until = last.addingTimeInterval(settings.lockDuration)
            if until > now {
                throw AccountError(
                    .locked,
                    "this account is locked after \(accountFailures) failed sign-ins until \(Self.format(until)); "
                        + "wait, or ask a sergeant or commander for a new enrollment code", until: until)
            }
        }
    }

    func recordFailure(user: OfficerID, address: String, now: Date) async throws {
        let old = now.addingTimeInterval(-2 * settings.failureWindow)
        try await run { connection in
            _ = try connection.query(
                """
                INSERT INTO muster.login_failures (scope, key, failed_at)
                VALUES ('account', \(user.rawValue), \(now)), ('address', \(address), \(now))
                """)
            _ = try connection.query("DELETE FROM muster.login_failures WHERE failed_at < \(old)")
        }
    }

    static func format(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon))
            + " UTC"
    }

    // MARK: - The stored account

    struct StoredAccount: Sendable {
        var passwordHash: String
        var totpSealed: [UInt8]?
        var totpLastStep: Int64?
    }

    func account(_ user: OfficerID) async throws -> StoredAccount? {
        try await run { connection in
            try connection.query("SELECT password_hash, totp_sealed, totp_last_step FROM muster.accounts WHERE user_id = \(user.rawValue)")
                .decodeAll(as: String.self, PostgresBytes?.self, Int64?.self).first.map {
                    StoredAccount(passwordHash: $0, totpSealed: $1?.bytes, totpLastStep: $2)
                }
        }
    }

    func passwordHash(of user: OfficerID) async throws -> String? { try await account(user)?.passwordHash }

    /// Whether `user` has a password (has enrolled).
    public func isEnrolled(_ user: OfficerID) async throws -> Bool { try await account(user) != nil }

    /// Checks `password` against `user`'s (off the cooperative threads).
    func verifyPassword(_ user: OfficerID, _ password: String) async throws -> Bool {
        guard let hash = try await passwordHash(of: user) else { return false }
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Whether two secrets are equal, compared without stopping at the first difference.
    public static func sameSecret(_ a: String, _ b: String) -> Bool { Secrets.constantTimeEqual(Array(a.utf8), Array(b.utf8)) }

    /// Runs `body` on the connection's own thread, reporting database failures as `EventLogError`s.
    func run<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await withEventLogErrors { try await client.withConnection(body) }
    }
}

/// Limits and lifetimes of credentials (`muster serve` options set them).
public struct AccountSettings: Sendable {
    /// A session ends after this long without a request…
    public var idleTimeout: TimeInterval = 30 * 60
    /// …and this long after sign-in, whatever the activity.
    public var absoluteTimeout: TimeInterval = 12 * 3600
    /// How long an enrollment code stays good.
    public var invitationLifetime: TimeInterval = 72 * 3600
    /// A signature needs a re-entry of the password (or second factor) at most this long ago.
    public var confirmationWindow: TimeInterval = 5 * 60
    /// Failed sign-ins are counted over this window…
    public var failureWindow: TimeInterval = 15 * 60
    /// …an account is locked after this many…
    public var accountFailureLimit = 5
    /// …an address throttled after this many (across accounts)…
    public var addressFailureLimit = 20
    /// …for this long after the last failure.
    public var lockDuration: TimeInterval = 15 * 60
    /// Default and longest lifetime of a bearer token.
    public var tokenLifetime: TimeInterval = 90 * 24 * 3600
    /// bcrypt's cost (12 in production; tests may lower it to keep the suite fast).
    public var bcryptCost: UInt8 = 12
    /// Roles that must use a second factor (those that sign releases).
    public var secondFactorRoles: Set<Role> = [.chief, .chiefDesignee]
    /// Seals TOTP keys at rest; without it no second factor can be enrolled.
    public var secretKey: SecretKey?

    /// A hash verified when the user has none, so an unknown user takes as long as a known one.
    let dummyHash: String

    public init(bcryptCost: UInt8 = 12) {
        self.bcryptCost = bcryptCost
        dummyHash = Bcrypt.hash("muster-no-such-account", cost: bcryptCost)
    }
}
