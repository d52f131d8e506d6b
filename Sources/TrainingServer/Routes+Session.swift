import Foundation
import Hummingbird
import TrainingDomain
import TrainingServices

/// Signing in and out, enrollment, the second factor, and tokens.
extension MusterServer {
    struct SessionView: Encodable, Sendable {
        var user: String
        var role: String
        var authentication: String
        /// Echo it in `X-CSRF-Token` on every state-changing request made with the cookie.
        var csrfToken: String?
        var expiresAt: Date?
        var confirmedAt: Date?
        var secondFactor: Bool
        /// The role must use a second factor and the session has none yet.
        var mustEnrollSecondFactor: Bool
    }

    func view(_ identity: Identity) -> SessionView {
        let session = identity.session
        return SessionView(
            user: identity.actor.id.rawValue, role: identity.actor.role.rawValue, authentication: identity.authentication,
            csrfToken: session?.csrfToken, expiresAt: session?.expiresAt, confirmedAt: session?.confirmedAt,
            secondFactor: session?.secondFactor ?? false,
            mustEnrollSecondFactor: mustEnrollSecondFactor(identity))
    }

    func cookie(_ value: String, maxAge: Int) -> Cookie {
        Cookie(
            name: Self.sessionCookie, value: value, maxAge: maxAge, path: "/", secure: configuration.secureCookies, httpOnly: true,
            sameSite: .strict)
    }

    func registerSession(_ routes: inout RouteBuilder) {
        let server = self
        let password = Field.required("password", .string(max: 200), "the password")
        routes.add(
            .post, "/api/session", .open, summary: "Sign in with user id and password (and the second-factor code when the account has one).",
            fields: [
                .required("user", .identifier, "user id"), password, .optional("code", .string(max: 12), "the current 6-digit second-factor code"),
            ]
        ) { call in
            let user = OfficerID(try call.body.require("user"))
            let roster = try await server.rosters.current(from: call.lease.services.store)
            let signIn = try await call.lease.accounts.signIn(
                user, password: try call.body.require("password"), code: call.body.string("code"), address: call.context.clientAddress,
                roster: roster)
            guard let member = roster.member(user) else { throw Problem.unauthorized("wrong user id or password", kind: "invalid-credentials") }
            let identity = Identity(actor: Actor(id: user, role: member.role), credential: .session(signIn.session), roster: roster)
            var response = try Reply.json(server.view(identity), status: .created)
            response.setCookie(server.cookie(signIn.token, maxAge: Int(server.configuration.accounts.absoluteTimeout)))
            return response
        }
        routes.add(.get, "/api/session", .signedIn, summary: "Who is signed in, and the session's CSRF token.", allowUnenrolled: true) { call in
            try Reply.json(server.view(try call.caller()))
        }
        routes.add(.delete, "/api/session", .signedIn, summary: "Sign out.", allowUnenrolled: true) { call in
            guard let session = try call.caller().session else {
                throw Problem.badRequest("a token has no session; revoke it with DELETE /api/tokens/{id}")
            }
            try await call.lease.accounts.signOut(session)
            var response = Reply.noContent()
            response.setCookie(server.cookie("", maxAge: 0))
            return response
        }
        routes.add(
            .post, "/api/session/confirm", .signedIn,
            summary: "Re-enter the password (or the second-factor code) before signing: signatures need one within minutes.",
            fields: [
                .optional("password", .string(max: 200), "the password"), .optional("code", .string(max: 12), "the current second-factor code"),
            ],
            allowUnenrolled: true
        ) { call in
            let identity = try call.caller()
            guard let session = identity.session else {
                throw Problem.forbidden("only a session confirms; a token never signs", kind: "signature-needs-session")
            }
            let confirmed = try await call.lease.accounts.confirm(
                session, password: call.body.string("password"), code: call.body.string("code"), address: call.context.clientAddress)
            return try Reply.json(server.view(Identity(actor: identity.actor, credential: .session(confirmed), roster: identity.roster)))
        }
        routes.add(
            .post, "/api/account/enroll", .open, summary: "Set your password with the one-time code a sergeant or commander gave you.",
            fields: [
                .required("user", .identifier, "user id"), .required("code", .string(max: 40), "the enrollment code"),
                .required("password", .string(max: 200), "the new password: 12 to 72 bytes"),
            ]
        ) { call in
            let roster = try await server.rosters.current(from: call.lease.services.store)
            try await call.lease.accounts.enroll(
                OfficerID(try call.body.require("user")), code: try call.body.require("code"), password: try call.body.require("password"),
                roster: roster)
            return Reply.noContent()
        }
        routes.add(
            .post, "/api/account/password", .signedIn,
            summary: "Change your password: the current one, then the new one (12 to 72 bytes). Your other sessions end.",
            fields: [
                .required("currentPassword", .string(max: 200), "the current password"),
                .required("password", .string(max: 200), "the new password: 12 to 72 bytes, not the user id, not the current one"),
            ]
        ) { call in
            let identity = try call.caller()
            guard let session = identity.session else {
                throw Problem.forbidden("change the password from your own signed-in session, not with a token")
            }
            let changed = try await call.lease.accounts.changePassword(
                session, current: try call.body.require("currentPassword"), new: try call.body.require("password"),
                address: call.context.clientAddress)
            return try Reply.json(server.view(Identity(actor: identity.actor, credential: .session(changed), roster: identity.roster)))
        }
        routes.add(
            .post, "/api/account/totp", .signedIn, summary: "Start enrolling a TOTP second factor (after confirming the password).", fields: [],
            allowUnenrolled: true
        ) { call in
            guard let session = try call.caller().session else { throw Problem.forbidden("enroll a second factor from your own session") }
            return try Reply.json(try await call.lease.accounts.beginSecondFactor(session), status: .created)
        }
        routes.add(
            .post, "/api/account/totp/confirm", .signedIn, summary: "Activate the second factor with a current code from it.",
            fields: [.required("code", .string(max: 12), "the current 6-digit code")], allowUnenrolled: true
        ) { call in
            let identity = try call.caller()
            guard let session = identity.session else { throw Problem.forbidden("enroll a second factor from your own session") }
            let active = try await call.lease.accounts.activateSecondFactor(session, code: try call.body.require("code"))
            return try Reply.json(server.view(Identity(actor: identity.actor, credential: .session(active), roster: identity.roster)))
        }
        registerTokens(&routes)
    }

    func registerTokens(_ routes: inout RouteBuilder) {
        let server = self
        routes.add(.get, "/api/tokens", .signedIn, summary: "Your bearer tokens (never their secrets).") { call in
            try Reply.json(try await call.lease.accounts.tokens(of: try call.caller().actor.id))
        }
        routes.add(
            .post, "/api/tokens", .signedIn, summary: "Create a bearer token for a program, limited to a role (shown once).",
            fields: [
                .required("name", .string(max: 100), "what the token is for"),
                .required("ceiling", .choice(Role.allCases.map(\.rawValue)), "the most it may do: a role's permissions (never more than yours)"),
                .optional("days", .integer(1...90), "lifetime in days (default and at most 90)"),
            ]
        ) { call in
            let identity = try call.caller()
            guard identity.session != nil else { throw Problem.forbidden("create tokens from your own session, not with a token") }
            guard let ceiling = Role(rawValue: try call.body.require("ceiling")) else { throw Problem.badRequest("unknown role", field: "ceiling") }
            let token = try await call.lease.accounts.createToken(
                for: identity.actor.id, name: try call.body.require("name"), ceiling: ceiling,
                lifetime: call.body.int("days").map { TimeInterval($0) * 86_400 }, roster: identity.roster)
            _ = server
            return try Reply.json(token, status: .created)
        }
        routes.add(.delete, "/api/tokens/{id}", .signedIn, summary: "Revoke one of your tokens.") { call in
            guard let id = UUID(uuidString: try call.requirePerson()) else { throw Problem.badRequest("a token id is a UUID", field: "id") }
            try await call.lease.accounts.revokeToken(id, of: try call.caller().actor.id)
            return Reply.noContent()
        }
    }
}
