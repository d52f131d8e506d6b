import Foundation
import HummingbirdBcrypt
import NIOPosix
import Postgres
import TrainingDomain
import TrainingRecords

extension Accounts {
    /// Changes the signed-in user's password: the current one first (a wrong one counts as a
    /// failed sign-in, so guessing through this form locks the account as sign-in does), then
    /// the new one under the enrollment rule (12 to 72 bytes, not the user id, and not the
    /// current one). Every other session of the user ends, as an enrollment ends them all; this
    /// one stays, confirmed now. Tokens are left alone (revoke them on their own page).
    public func changePassword(_ session: SessionInfo, current: String, new: String, address: String) async throws -> SessionInfo {
        let now = clock.now()
        try await checkThrottles(user: session.user, address: address, now: now)
        guard try await verifyPassword(session.user, current) else {
            try await recordFailure(user: session.user, address: address, now: now)
            throw AccountError(.invalidCredentials, "wrong current password")
        }
        try Self.checkPassword(new, user: session.user)
        guard new != current else { throw AccountError(.passwordRejected, "the new password must differ from the current one") }
        let cost = settings.bcryptCost
        let hash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(new, cost: cost) }
        let user = session.user.rawValue
        let keep = PostgresBytes(session.tokenHash)
        try await run { connection in
            try connection.transaction { connection in
                _ = try connection.query("UPDATE muster.accounts SET password_hash = \(hash), updated_at = \(now) WHERE user_id = \(user)")
                _ = try connection.query(
                    "UPDATE muster.sessions SET revoked_at = \(now) WHERE user_id = \(user) AND revoked_at IS NULL AND token_hash <> \(keep)")
                _ = try connection.query("UPDATE muster.sessions SET confirmed_at = \(now) WHERE token_hash = \(keep)")
                _ = try connection.query("DELETE FROM muster.login_failures WHERE scope = 'account' AND key = \(user)")
            }
        }
        var changed = session
        changed.confirmedAt = now
        return changed
    }
}
