public import Foundation

/// Why signing in, enrolling or using a credential failed. `message` says what to do next and
/// never holds a password, code or token.
public struct AccountError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidCredentials, locked, throttled, invitationInvalid, passwordRejected, secondFactorRequired
            case secondFactorInvalid, secondFactorEnrollmentRequired, sessionInvalid, notConfigured, notAllowed, tokenInvalid
            case confirmationRequired, notFound
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Unknown user, wrong password, or a disabled user (never says which).
        public static let invalidCredentials = Code(.invalidCredentials)
        /// Too many failures on this account: locked until ``AccountError/until``.
        public static let locked = Code(.locked)
        /// Too many failures from this address: try again after ``AccountError/until``.
        public static let throttled = Code(.throttled)
        public static let invitationInvalid = Code(.invitationInvalid)
        public static let passwordRejected = Code(.passwordRejected)
        /// The account has a second factor: send its current code.
        public static let secondFactorRequired = Code(.secondFactorRequired)
        public static let secondFactorInvalid = Code(.secondFactorInvalid)
        /// The role must use a second factor and the account has none yet.
        public static let secondFactorEnrollmentRequired = Code(.secondFactorEnrollmentRequired)
        /// Missing, forged, expired or revoked session.
        public static let sessionInvalid = Code(.sessionInvalid)
        /// Missing, forged, expired or revoked bearer token.
        public static let tokenInvalid = Code(.tokenInvalid)
        /// The server lacks what this needs (e.g. a secret key for second factors).
        public static let notConfigured = Code(.notConfigured)
        public static let notAllowed = Code(.notAllowed)
        /// A signature needs a re-entry of the password (or second factor) within minutes.
        public static let confirmationRequired = Code(.confirmationRequired)
        public static let notFound = Code(.notFound)

        public var description: String { base.rawValue }
    }

    public var code: Code
    public var message: String
    /// Until when a lock or throttle holds.
    public var until: Date?

    public init(_ code: Code, _ message: String, until: Date? = nil) {
        self.code = code
        self.message = message
        self.until = until
    }

    public var description: String { message }
}
