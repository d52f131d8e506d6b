public import EventLog
import Foundation
public import Logging
public import TrainingDomain
public import TrainingServices

/// How `muster serve` runs: where it listens, which database, and its security settings.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (tests).
    public var port: Int
    public var database: MusterDatabase
    public var agency: AgencyID
    /// Connection leases (each two PostgreSQL connections).
    public var poolSize: Int
    /// Cookies marked `Secure` (only sent over HTTPS). Off only for plain HTTP on loopback.
    public var secureCookies: Bool
    /// Send `Strict-Transport-Security` (when a TLS proxy fronts the server).
    public var hsts: Bool
    /// Take the client's address from `X-Forwarded-For` (only behind a proxy that sets it).
    public var trustForwardedFor: Bool
    /// The roles in ``AccountSettings/secondFactorRoles`` must use a second factor (default on).
    public var requireSecondFactor: Bool
    public var accounts: AccountSettings
    /// Signs seals made through the API (`POST /api/audit/seal`).
    public var sealKey: SealSigningKey?
    /// Checks seals in `GET /api/audit/verify`.
    public var sealPublicKey: SealVerifyingKey?
    public var schemaDirectory: String?
    public var logLevel: Logger.Level
    /// Keep the read models current in this process (``ProjectorService``); off when a separate
    /// `muster projections run --follow` does it.
    public var runProjector: Bool
    /// Also serve the statewide view (`GET /api/statewide`, every agency's summary), read as the
    /// statewide role: for a standards commission's own server, whose login holds `muster_state`.
    public var statewide: Bool

    public init(
        host: String = "127.0.0.1", port: Int = 8080, database: MusterDatabase, agency: AgencyID = AgencyID("pasadena"), poolSize: Int = 8,
        secureCookies: Bool? = nil, hsts: Bool = false, trustForwardedFor: Bool = false, requireSecondFactor: Bool = true,
        accounts: AccountSettings, sealKey: SealSigningKey? = nil, sealPublicKey: SealVerifyingKey? = nil, schemaDirectory: String? = nil,
        logLevel: Logger.Level = .info, runProjector: Bool = false, statewide: Bool = false
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.agency = agency
        self.poolSize = poolSize
        self.secureCookies = secureCookies ?? !Self.isLoopback(host)
        self.hsts = hsts
        self.trustForwardedFor = trustForwardedFor
        self.requireSecondFactor = requireSecondFactor
        self.accounts = accounts
        self.sealKey = sealKey
        self.sealPublicKey = sealPublicKey
        self.schemaDirectory = schemaDirectory
        self.logLevel = logLevel
        self.runProjector = runProjector
        self.statewide = statewide
    }

    static func isLoopback(_ host: String) -> Bool { ["127.0.0.1", "::1", "localhost"].contains(host) }

    /// Refuses settings that cannot work, saying what to change.
    public func validate() throws {
        if requireSecondFactor, !accounts.secondFactorRoles.isEmpty, accounts.secretKey == nil {
            throw AccountError(
                .notConfigured,
                "second factors are required for \(accounts.secondFactorRoles.map(\.rawValue).sorted().joined(separator: ", ")) but no secret key is set: "
                    + "set MUSTER_SECRET_KEY (make one with `muster serve --new-secret-key`) or pass --no-require-second-factor")
        }
        guard (1...256).contains(poolSize) else { throw AccountError(.notConfigured, "the pool size must be 1 to 256") }
        try MusterDatabase.validate(agency: agency)
    }
}
