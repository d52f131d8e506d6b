import Foundation
public import Hummingbird
import Logging
import TrainingDomain
import TrainingServices

/// Per-request state: the request id (also in every log line and problem), and the client's
/// address as the server saw it (or as a trusted proxy said).
public struct MusterRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String
    public var clientAddress: String

    /// The largest request body accepted (a DOR with every category and a long narrative fits).
    public static let maxBody = 64 * 1024

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        requestID = "-"
        let remote = source.channel.remoteAddress
        clientAddress = remote?.ipAddress ?? "unknown"
    }

    public var maxUploadSize: Int { Self.maxBody }
}

/// Who is calling, once authenticated.
struct Identity: Sendable {
    enum Credential: Sendable {
        case session(SessionInfo)
        case token(TokenInfo)

        /// The roster's and the policies' stream versions, read with the credential.
        var streamVersions: [Int] {
            switch self {
            case .session(let session): session.streamVersions
            case .token(let token): token.streamVersions
            }
        }
    }
    var actor: Actor
    var credential: Credential
    var roster: UserRoster
    /// The policy stream's version, read with the credential.
    var policyVersion: Int?

    /// `session`, `session+totp` or `token`: stored in every event's provenance.
    var authentication: String {
        switch credential {
        case .session(let session): session.secondFactor ? "session+totp" : "session"
        case .token: "token"
        }
    }

    /// A token's role ceiling.
    var ceiling: Role? {
        if case .token(let token) = credential { return token.ceiling }
        return nil
    }

    var session: SessionInfo? {
        if case .session(let session) = credential { return session }
        return nil
    }
}
