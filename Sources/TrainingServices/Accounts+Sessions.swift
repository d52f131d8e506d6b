public import EventLog
public import Foundation
import HummingbirdOTP
import Postgres
public import TrainingDomain
import TrainingRecords

/// A signed-in session as the server holds it (the cookie holds only its secret).
public struct SessionInfo: Sendable {
    public var user: OfficerID
    /// The synchronizer token state-changing requests must echo (`X-CSRF-Token`).
    public var csrfToken: String
    public var createdAt: Date
    public var lastSeenAt: Date
    public var expiresAt: Date
    /// The last re-entry of the password or second factor (sign-in counts).
    public var confirmedAt: Date?
    /// Signed in (or confirmed) with the second factor.
    public var secondFactor: Bool
    /// The versions of the streams the lookup was asked about (the roster's, the policies'),
    /// read with it, in the order asked.
    public var streamVersions: [Int] = []
    let tokenHash: [UInt8]
}

extension Accounts {
    func createSession(_ user: OfficerID, secondFactor: Bool, address: String, now: Date) async throws -> (String, SessionInfo) {
        let token = Secrets.token()
        let hash = Secrets.sha256(token)
        let csrf = Secrets.token()
        let expires = now.addingTimeInterval(settings.absoluteTimeout)
        let stored = PostgresBytes(hash)
        try await run { connection in
            _ = try connection.query(
                """
                INSERT INTO muster.sessions
                    (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, confirmed_at, second_factor, client_address)
                VALUES (\(stored), \(user.rawValue), \(csrf), \(now), \(now), \(expires), \(now), \(secondFactor), \(address))
                """)
        }
        return (
            token,
            SessionInfo(
                user: user, csrfToken: csrf, createdAt: now, lastSeenAt: now, expiresAt: expires, confirmedAt: now, secondFactor: secondFactor,
                tokenHash: hash)
        )
    }

    /// The live session whose cookie holds `token`, touched as used now. A session idle past
    /// the idle timeout, past its absolute end, or revoked is refused (and revoked).
    /// With `streams`, the same query also reads those streams' versions (the server's roster
    /// and policy checks, without another round trip).
    public func session(token: String, alsoVersionsOf streams: [StreamID] = []) async throws -> SessionInfo {
        let invalid = AccountError(.sessionInvalid, "not signed in, or the session ended; sign in again (POST /api/session)")
        guard token.utf8.count == 43 else { throw invalid }
        let hash = PostgresBytes(Secrets.sha256(token))
        let now = clock.now()
        let idleSince = now.addingTimeInterval(-settings.idleTimeout)
        let found = try await run { connection in
            try connection.query(
                """
                SELECT user_id, csrf_token, created_at, last_seen_at, expires_at, confirmed_at, second_factor, revoked_at,
                       (SELECT \(unsafeSQL: StreamVersions.aggregate) FROM unnest(\(StreamVersions.array(streams))::text[]) WITH ORDINALITY AS u(s, n))
                FROM muster.sessions WHERE token_hash = \(hash)
                """, prepared: true
            ).decodeAll(as: String.self, String.self, Date.self, Date.self, Date.self, Date?.self, Bool.self, Date?.self, String?.self).first
        }
        guard let found, found.7 == nil else { throw invalid }
        guard found.4 > now, found.3 > idleSince else {
            try await run { connection in
                _ = try connection.query("UPDATE muster.sessions SET revoked_at = \(now) WHERE token_hash = \(hash) AND revoked_at IS NULL")
            }
            throw AccountError(.sessionInvalid, "the session expired; sign in again (POST /api/session)")
        }
        // Touch at most every few seconds: every request would otherwise write.
        if now.timeIntervalSince(found.3) > 5 {
            try await run { connection in
                _ = try connection.query("UPDATE muster.sessions SET last_seen_at = \(now) WHERE token_hash = \(hash)")
            }
        }
        return SessionInfo(
            user: OfficerID(found.0), csrfToken: found.1, createdAt: found.2, lastSeenAt: now, expiresAt: found.4, confirmedAt: found.5,
            secondFactor: found.6, streamVersions: StreamVersions.decode(found.8, count: streams.count), tokenHash: hash.bytes)
    }

    /// Ends a session.
    public func signOut(_ session: SessionInfo) async throws {
        let hash = PostgresBytes(session.tokenHash)
        let now = clock.now()
        try await run { connection in
            _ = try connection.query("UPDATE muster.sessions SET revoked_at = \(now) WHERE token_hash = \(hash) AND revoked_at IS NULL")
        }
    }

    /// Ends every session and revokes every token of `user` (e.g. when they are disabled).
    public func revokeAll(_ user: OfficerID) async throws {
        let now = clock.now()
        try await run { connection in
            _ = try connection.query("UPDATE muster.sessions SET revoked_at = \(now) WHERE user_id = \(user.rawValue) AND revoked_at IS NULL")
            _ = try connection.query("UPDATE muster.api_tokens SET revoked_at = \(now) WHERE user_id = \(user.rawValue) AND revoked_at IS NULL")
        }
    }

    /// Records a fresh re-entry of the password, or of the current second-factor code, for
    /// the signatures of the next few minutes.
    public func confirm(_ session: SessionInfo, password: String?, code: String?, address: String) async throws -> SessionInfo {
        let now = clock.now()
        try await checkThrottles(user: session.user, address: address, now: now)
        guard let stored = try await account(session.user) else { throw AccountError(.sessionInvalid, "no account; sign in again") }
        var secondFactor = session.secondFactor
        if let code, !code.isEmpty {
            guard let sealed = stored.totpSealed, stored.totpLastStep != nil else {
                throw AccountError(.secondFactorInvalid, "this account has no second factor; confirm with the password")
            }
            guard try await acceptTOTP(code, sealed: sealed, user: session.user, after: stored.totpLastStep, now: now) else {
                try await recordFailure(user: session.user, address: address, now: now)
                throw AccountError(.secondFactorInvalid, "wrong or reused second-factor code; wait for the next code and try again")
            }
            secondFactor = true
        } else if let password, !password.isEmpty {
            guard try await verifyPassword(session.user, password) else {
                try await recordFailure(user: session.user, address: address, now: now)
                throw AccountError(.invalidCredentials, "wrong password")
            }
        } else {
            throw AccountError(.confirmationRequired, "send `password` (or the second-factor `code`) to confirm")
        }
        let hash = PostgresBytes(session.tokenHash)
        let withSecondFactor = secondFactor
        try await run { connection in
            _ = try connection.query(
                "UPDATE muster.sessions SET confirmed_at = \(now), second_factor = \(withSecondFactor) WHERE token_hash = \(hash) AND revoked_at IS NULL"
            )
        }
        var confirmed = session
        confirmed.confirmedAt = now
        confirmed.secondFactor = secondFactor
        return confirmed
    }

    /// Whether the session re-entered a password or code within the confirmation window.
    public func isFreshlyConfirmed(_ session: SessionInfo) -> Bool {
        guard let confirmed = session.confirmedAt else { return false }
        return clock.now().timeIntervalSince(confirmed) <= settings.confirmationWindow
    }

    // MARK: - Second factor (TOTP, RFC 6238)

    /// A new second-factor key for the session's user, pending until a code from it is confirmed.
    public struct SecondFactorEnrollment: Sendable, Codable {
        /// The key in base32, for typing into an authenticator app.
        public var secret: String
        /// `otpauth://` URL for a QR code.
        public var url: String
    }

    /// Starts enrolling a TOTP second factor (replacing a pending one). The session must have
    /// re-entered its password within minutes.
    public func beginSecondFactor(_ session: SessionInfo) async throws -> SecondFactorEnrollment {
        guard let key = settings.secretKey else {
            throw AccountError(.notConfigured, "second factors are not configured on this server; the operator sets MUSTER_SECRET_KEY")
        }
        guard isFreshlyConfirmed(session) else {
            throw AccountError(.confirmationRequired, "confirm your password first (POST /api/session/confirm), then enroll")
        }
        let secret = Secrets.base64url(Secrets.randomBytes(20))
        let sealed = PostgresBytes(try key.seal(Array(secret.utf8)))
        let now = clock.now()
        let user = session.user.rawValue
        try await run { connection in
            _ = try connection.query(
                "UPDATE muster.accounts SET totp_sealed = \(sealed), totp_last_step = NULL, updated_at = \(now) WHERE user_id = \(user)")
        }
        let totp = TOTP(secret: secret)
        let url = totp.createAuthenticatorURL(label: user, issuer: "Muster")
        let base32 = URLComponents(string: url)?.queryItems?.first { $0.name == "secret" }?.value ?? ""
        return SecondFactorEnrollment(secret: base32, url: url)
    }

    /// Activates the pending second factor with a current code from it.
    public func activateSecondFactor(_ session: SessionInfo, code: String) async throws -> SessionInfo {
        guard let stored = try await account(session.user), let sealed = stored.totpSealed else {
            throw AccountError(.secondFactorInvalid, "no second factor is being enrolled; start with POST /api/account/totp")
        }
        guard try await acceptTOTP(code, sealed: sealed, user: session.user, after: stored.totpLastStep, now: clock.now()) else {
            throw AccountError(.secondFactorInvalid, "that code does not match; check the device's clock and try the next code")
        }
        let hash = PostgresBytes(session.tokenHash)
        try await run { connection in
            _ = try connection.query("UPDATE muster.sessions SET second_factor = true WHERE token_hash = \(hash)")
        }
        var active = session
        active.secondFactor = true
        return active
    }

    /// Whether `user` has an active second factor.
    public func hasSecondFactor(_ user: OfficerID) async throws -> Bool {
        guard let stored = try await account(user) else { return false }
        return stored.totpSealed != nil && stored.totpLastStep != nil
    }

    /// Accepts `code` if it is the key's code for the current 30-second step or the one before
    /// or after (clock drift), and later than the last step accepted (a code works once).
    /// The accepted step is stored in the same statement that checks it, so two requests with
    /// one code cannot both pass.
    func acceptTOTP(_ code: String, sealed: [UInt8], user: OfficerID, after lastStep: Int64?, now: Date) async throws -> Bool {
        guard let key = settings.secretKey else { return false }
        let digits = code.filter { !$0.isWhitespace }
        guard digits.count == 6, let value = Int(digits) else { return false }
        let secret = String(decoding: try key.open(sealed), as: UTF8.self)
        let totp = TOTP(secret: secret)
        let currentStep = Int64(now.timeIntervalSince1970 / 30)
        for offset in [-1, 0, 1] {
            let step = currentStep + Int64(offset)
            guard lastStep.map({ step > $0 }) ?? true else { continue }
            if totp.compute(date: Date(timeIntervalSince1970: Double(step * 30))) == value {
                let rawUser = user.rawValue
                return try await run { connection in
                    try connection.query(
                        """
                        UPDATE muster.accounts SET totp_last_step = \(step)
                        WHERE user_id = \(rawUser) AND (totp_last_step IS NULL OR totp_last_step < \(step))
                        """
                    ).affectedRows == 1
                }
            }
        }
        return false
    }
}
