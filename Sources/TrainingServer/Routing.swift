import CoreMetrics
import EventLog
import Foundation
import HTTPTypes
import Hummingbird
import TrainingDomain
import TrainingRecords
import TrainingServices

/// What a handler gets: the request, a checked body, a database lease, and who is calling.
struct Call: Sendable {
    let request: Request
    let context: MusterRequestContext
    let body: Body
    let lease: ConnectionPool.Lease
    let identity: Identity?
    /// The `{id}` of the path, checked to be a well-formed id.
    let person: String?

    func caller() throws -> Identity {
        guard let identity else { throw Problem.unauthorized("sign in first (POST /api/session)") }
        return identity
    }

    func requirePerson() throws -> String {
        guard let person else { throw Problem.badRequest("the path needs an id", field: "id") }
        return person
    }

    /// A query parameter; unknown ones were refused before the handler ran.
    func query(_ name: String) -> String? { request.uri.queryParameters[name[...]].map(String.init) }
}

/// Registers routes with their gate, and remembers them for the permission and OpenAPI tests.
struct RouteBuilder {
    let server: MusterServer
    let router: Router<MusterRequestContext>
    var routes: [MusterServer.Route] = []

    /// Records a route registered directly on the router (no lease, no gate: health probes).
    mutating func describe(_ method: HTTPRequest.Method, _ path: String, summary: String) {
        routes.append(.init(method: method.rawValue, path: path, gate: .open, summary: summary))
    }

    /// - Parameters:
    ///   - fields: the JSON body's fields (`nil`: no body is read).
    ///   - query: the query parameters allowed (others are refused).
    ///   - allowUnenrolled: reachable by a session that must still enroll a second factor.
    mutating func add(
        _ method: HTTPRequest.Method, _ path: String, _ gate: MusterServer.Route.Gate, summary: String, fields: [Field]? = nil,
        query: [String] = [], allowUnenrolled: Bool = false, _ handler: @escaping @Sendable (Call) async throws -> Response
    ) {
        routes.append(.init(method: method.rawValue, path: path, gate: gate, summary: summary, fields: fields, query: query))
        let server = self.server
        router.on(RouterPath(path), method: method) { request, context in
            try await server.dispatch(
                request, context, gate: gate, fields: fields, query: query, allowUnenrolled: allowUnenrolled, handler: handler)
        }
    }
}

extension MusterServer {
    /// The views of a person's record: every read of one, allowed or refused, is logged.
    static let recordViews: [Permissions.Action: String] = [
        .readTrainee: "trainee", .readHistory: "history", .readStatus: "status", .readDORs: "dors", .readExport: "export",
    ]

    static let sessionCookie = "muster_session"

    /// The one path every request takes: check the path id and query, read the body, check out
    /// a lease, authenticate, refuse an unfinished second-factor enrollment, check CSRF, ask
    /// the permission table (logging refused reads), check signatures, then run the handler.
    func dispatch(
        _ request: Request, _ context: MusterRequestContext, gate: Route.Gate, fields: [Field]?, query: [String], allowUnenrolled: Bool,
        handler: @escaping @Sendable (Call) async throws -> Response
    ) async throws -> Response {
        let person = context.parameters.get("id")
        if let person, !OfficerID(person).isWellFormedUserID {
            throw Problem.badRequest("the id in the path must be 1 to 100 letters, digits and . _ : -", field: "id")
        }
        for (name, _) in request.uri.queryParameters where !query.contains(String(name)) {
            let allowed = query.isEmpty ? "no query parameters" : query.joined(separator: ", ")
            throw Problem.badRequest("unknown query parameter `\(name.prefix(60))`; this operation takes \(allowed)", field: String(name.prefix(60)))
        }
        // The body is read before a connection is taken (a slow client holds none), and checked
        // after the caller is known to be allowed (so a refusal never depends on the body).
        var raw: [UInt8]?
        if fields != nil { raw = try await Body.collect(request) }
        let collected = raw
        func body() throws -> Body { try fields.map { try Body.parse(collected ?? [], fields: $0) } ?? Body(values: [:]) }
        return try await pool.withLease { lease in
            guard case .action(let action) = gate else {
                let identity = gate == .signedIn ? try await authenticate(request, context, lease, allowUnenrolled: allowUnenrolled) : nil
                return try await handler(Call(request: request, context: context, body: try body(), lease: lease, identity: identity, person: person))
            }
            let view = Self.recordViews[action]
            let identity: Identity
            do {
                identity = try await authenticate(request, context, lease, allowUnenrolled: false)
            } catch {
                if let view, let person {
                    try await logRead(lease, nil, person: person, view: view, result: "refused: not signed in", context)
                }
                throw error
            }
            let actor = identity.actor
            guard Permissions.allows(actor.role, ceiling: identity.ceiling, action, user: actor.id, person: person) else {
                if let view, let person {
                    try await logRead(lease, identity, person: person, view: view, result: "refused: not permitted", context)
                }
                throw Self.refusal(identity, action)
            }
            if Permissions.signatures.contains(action) { try checkSignature(identity, lease) }
            let response = try await handler(
                Call(request: request, context: context, body: try body(), lease: lease, identity: identity, person: person))
            if request.method != .get, (200..<300).contains(response.status.code) { try await noteWrite(by: identity, lease) }
            return response
        }
    }

    static func refusal(_ identity: Identity, _ action: Permissions.Action) -> Problem {
        let actor = identity.actor
        let roles = Permissions.roles(for: action).map(\.description).joined(separator: ", ")
        var detail = "\(actor.id) acting as \(actor.role) may not \(action.rawValue)"
        if let ceiling = identity.ceiling, Permissions.access(actor.role, action) != .none {
            detail += " with a token limited to \(ceiling)"
        } else if Permissions.access(actor.role, action) == .own {
            detail += " on another person's record"
        }
        detail += roles.isEmpty ? "" : "; that takes \(roles)"
        return Problem.forbidden(detail)
    }

    /// Who is calling: a bearer token, else the session cookie; then the roster (a disabled or
    /// removed user is refused at once, and loses the session).
    /// A web page's form sends the CSRF token as a field (`formCSRF`) instead of the header.
    func authenticate(
        _ request: Request, _ context: MusterRequestContext, _ lease: ConnectionPool.Lease, allowUnenrolled: Bool, formCSRF: String? = nil
    ) async throws -> Identity {
        let accounts = lease.accounts
        let credential: Identity.Credential
        let user: OfficerID
        if let authorization = request.headers[.authorization] {
            guard authorization.hasPrefix("Bearer ") else {
                throw Problem.unauthorized("use `Authorization: Bearer <token>` (create tokens with POST /api/tokens or muster token create)")
            }
            let token = try await accounts.token(secret: String(authorization.dropFirst(7)), alsoVersionsOf: try await followedStreams())
            credential = .token(token)
            user = OfficerID(token.user)
        } else if let cookie = request.cookies[Self.sessionCookie]?.value {
            let session = try await accounts.session(token: cookie, alsoVersionsOf: try await followedStreams())
            // A cookie-borne request that changes state must echo the session's CSRF token.
            if ![.get, .head, .options].contains(request.method) {
                let sent = request.headers[HTTPField.Name("X-CSRF-Token")!] ?? formCSRF ?? ""
                guard Accounts.sameSecret(sent, session.csrfToken) else {
                    throw Problem.forbidden(
                        "a request with the session cookie must send the session's CSRF token in X-CSRF-Token (GET /api/session gives it)",
                        kind: "csrf")
                }
            }
            credential = .session(session)
            user = session.user
        } else {
            throw Problem.unauthorized("sign in first (POST /api/session), or send a bearer token")
        }
        // The credential's query read the users stream's version too: usually nothing is newer.
        let versions = credential.streamVersions
        let roster = try await rosters.current(from: lease.services.store, knownVersion: versions.first)
        guard let member = roster.member(user), !member.disabled else {
            if case .session(let session) = credential { try await accounts.signOut(session) }
            throw Problem.unauthorized("user \(user) is disabled or no longer registered; ask a sergeant or commander", kind: "user-disabled")
        }
        let identity = Identity(
            actor: Actor(id: member.id, role: member.role), credential: credential, roster: roster, policyVersion: versions.last)
        if !allowUnenrolled, mustEnrollSecondFactor(identity) {
            throw Problem(
                .forbidden, "second-factor-enrollment-required", "Enroll a second factor",
                detail: "a \(member.role) must use a second factor: enroll one (POST /api/account/totp, then /api/account/totp/confirm)")
        }
        return identity
    }

    /// The streams whose versions every credential query also reads: the roster's, then the
    /// policies' (the server's caches of both are current when nothing is newer).
    func followedStreams() async throws -> [StreamID] {
        [try await rosters.stream, try policyBooks.stream]
    }

    /// A session of a role that must use a second factor, not signed in with one.
    func mustEnrollSecondFactor(_ identity: Identity) -> Bool {
        guard configuration.requireSecondFactor, configuration.accounts.secondFactorRoles.contains(identity.actor.role),
            let session = identity.session
        else { return false }
        return !session.secondFactor
    }

    /// A signature is made from the signer's own session, confirmed within minutes.
    func checkSignature(_ identity: Identity, _ lease: ConnectionPool.Lease) throws {
        guard let session = identity.session else {
            throw Problem.forbidden(
                "this is a signature: make it from your own signed-in session, not with a token", kind: "signature-needs-session")
        }
        guard lease.accounts.isFreshlyConfirmed(session) else {
            let minutes = Int(configuration.accounts.confirmationWindow / 60)
            throw Problem(
                .forbidden, "confirmation-required", "Confirm it is you",
                detail: "this is a signature: re-enter your password (POST /api/session/confirm) within \(minutes) minutes before signing")
        }
    }

    /// Appends one row to the access log.
    func logRead(
        _ lease: ConnectionPool.Lease, _ identity: Identity?, person: String, view: String, result: String, _ context: MusterRequestContext
    ) async throws {
        try await lease.accessLog.record(
            .init(
                reader: identity?.actor.id.rawValue ?? "-", readerRole: identity?.actor.role.rawValue ?? "-", person: person, view: view,
                address: context.clientAddress, result: result, requestID: context.requestID))
        ServerMetrics.accessReads.increment()
    }

    @Sendable static func updatePoolGauges(_ statistics: ConnectionPool.Statistics) {
        ServerMetrics.poolSize.record(statistics.size)
        ServerMetrics.poolOpen.record(statistics.open)
        ServerMetrics.poolInUse.record(statistics.inUse)
        ServerMetrics.poolWaiting.record(statistics.waiting)
    }
}

// MARK: - Responses

enum Reply {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    static func noContent() -> Response { Response(status: .noContent) }
}

/// A page of a list: `limit` (1 to 1000, default 100) items after skipping `offset` (at most
/// 100,000). `next` is the offset of the next page, when there is one.
struct Page<Item: Encodable & Sendable>: Encodable, Sendable {
    var items: [Item]
    var limit: Int
    var offset: Int
    var next: Int?

    static var queryNames: [String] { ["limit", "offset"] }

    /// The requested window, refused with a 400 that names the parameter when out of bounds.
    static func window(_ call: Call) throws -> (limit: Int, offset: Int) {
        let limit = try number(call, "limit", default: 100, range: 1...1000)
        let offset = try number(call, "offset", default: 0, range: 0...100_000)
        return (limit, offset)
    }

    static func number(_ call: Call, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = call.query(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw Problem.badRequest("`\(name)` must be a whole number from \(range.lowerBound) to \(range.upperBound)", field: name)
        }
        return number
    }

    /// Slices `all` (which holds at least `offset + limit + 1` rows when more exist).
    init(all: [Item], limit: Int, offset: Int) {
        items = Array(all.dropFirst(offset).prefix(limit))
        self.limit = limit
        self.offset = offset
        next = all.count > offset + limit ? offset + limit : nil
    }
}
