public import EventLog
public import Foundation
import Postgres
public import TrainingDomain
import TrainingRecords

/// A bearer token as the server holds it (the program holds only its secret).
public struct TokenInfo: Sendable, Codable {
    public var id: UUID
    public var user: String
    public var name: String
    /// The token acts with at most this role's permissions (and never more than its user's).
    public var ceiling: Role
    public var createdAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?
    /// The versions of the streams the lookup was asked about (the roster's, the policies'),
    /// read with it, in the order asked. Not part of the token's description.
    public var streamVersions: [Int] = []

    enum CodingKeys: String, CodingKey {
        case id, user, name, ceiling, createdAt, expiresAt, revokedAt
    }
}

extension Accounts {
    /// A new token: the secret is shown once.
    public struct NewToken: Sendable, Codable {
        public var token: String
        public var info: TokenInfo
    }

    static let tokenPrefix = "mt_"

    /// Creates a bearer token for `user` (who must be enabled), limited to `ceiling`.
    public func createToken(for user: OfficerID, name: String, ceiling: Role, lifetime: TimeInterval?, roster: UserRoster) async throws -> NewToken {
        guard let member = roster.member(user), !member.disabled else {
            throw AccountError(.notAllowed, "no enabled user \(user) is registered")
        }
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(trimmed.count) else { throw AccountError(.notAllowed, "a token needs a name of 1 to 100 characters") }
        let lifetime = min(lifetime ?? settings.tokenLifetime, settings.tokenLifetime)
        guard lifetime > 0 else { throw AccountError(.notAllowed, "a token's lifetime must be positive") }
        let secret = Secrets.token(prefix: Self.tokenPrefix)
        let hash = PostgresBytes(Secrets.sha256(secret))
        let now = clock.now()
        let info = TokenInfo(
            id: UUID(), user: user.rawValue, name: trimmed, ceiling: ceiling, createdAt: now, expiresAt: now.addingTimeInterval(lifetime))
        try await run { connection in
            _ = try connection.query(
                """
                INSERT INTO muster.api_tokens (token_id, token_hash, user_id, name, role_ceiling, created_at, expires_at)
                VALUES (\(info.id), \(hash), \(info.user), \(info.name), \(ceiling.rawValue), \(now), \(info.expiresAt))
                """)
        }
        return NewToken(token: secret, info: info)
    }

    /// Revokes token `id` of `user` (a user revokes their own; `anyUser` for the console).
    public func revokeToken(_ id: UUID, of user: OfficerID?) async throws {
        let now = clock.now()
        let revoked = try await run { connection in
            if let user {
                try connection.query(
                    "UPDATE muster.api_tokens SET revoked_at = \(now) WHERE token_id = \(id) AND user_id = \(user.rawValue) AND revoked_at IS NULL"
                ).affectedRows
            } else {
                try connection.query("UPDATE muster.api_tokens SET revoked_at = \(now) WHERE token_id = \(id) AND revoked_at IS NULL")
                    .affectedRows
            }
        }
        guard revoked == 1 else { throw AccountError(.notFound, "no live token \(id) of yours; list them with GET /api/tokens") }
    }

    /// `user`'s tokens, newest first.
    public func tokens(of user: OfficerID) async throws -> [TokenInfo] {
        let raw = user.rawValue
        return try await run { connection in
            try connection.query(
                """
                SELECT token_id, name, role_ceiling, created_at, expires_at, revoked_at FROM muster.api_tokens
                WHERE user_id = \(raw) ORDER BY created_at DESC, token_id LIMIT 1000
                """
            ).decodeAll(as: UUID.self, String.self, String.self, Date.self, Date.self, Date?.self).map {
                TokenInfo(
                    id: $0, user: raw, name: $1, ceiling: Role(rawValue: $2) ?? .trainee, createdAt: $3, expiresAt: $4, revokedAt: $5)
            }
        }
    }

    /// The live token whose secret is `secret`.
    /// With `streams`, the same query also reads those streams' versions (the server's roster
    /// and policy checks, without another round trip).
    public func token(secret: String, alsoVersionsOf streams: [StreamID] = []) async throws -> TokenInfo {
        let invalid = AccountError(.tokenInvalid, "the bearer token is not valid (unknown, revoked or expired); create a new one")
        guard secret.hasPrefix(Self.tokenPrefix), secret.utf8.count == Self.tokenPrefix.utf8.count + 43 else { throw invalid }
        let hash = PostgresBytes(Secrets.sha256(secret))
        let now = clock.now()
        let lastUseBefore = now.addingTimeInterval(-60)
        let found = try await run { connection in
            let row = try connection.query(
                """
                SELECT token_id, user_id, name, role_ceiling, created_at, expires_at,
                       (SELECT \(unsafeSQL: StreamVersions.aggregate) FROM unnest(\(StreamVersions.array(streams))::text[]) WITH ORDINALITY AS u(s, n))
                FROM muster.api_tokens
                WHERE token_hash = \(hash) AND revoked_at IS NULL AND expires_at > \(now)
                """, prepared: true
            ).decodeAll(as: UUID.self, String.self, String.self, String.self, Date.self, Date.self, String?.self).first
            // Last use is kept to the minute: a program's every request should not write.
            if row != nil {
                _ = try connection.query(
                    """
                    UPDATE muster.api_tokens SET last_used_at = \(now)
                    WHERE token_hash = \(hash) AND (last_used_at IS NULL OR last_used_at < \(lastUseBefore))
                    """, prepared: true)
            }
            return row
        }
        guard let found, let ceiling = Role(rawValue: found.3) else { throw invalid }
        return TokenInfo(
            id: found.0, user: found.1, name: found.2, ceiling: ceiling, createdAt: found.4, expiresAt: found.5,
            streamVersions: StreamVersions.decode(found.6, count: streams.count))
    }
}
