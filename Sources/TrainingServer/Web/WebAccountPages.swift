import Foundation
import HTTPTypes
import Hummingbird
import TrainingDomain
import TrainingServices

/// The signed-in user's own account: changing the password, and bearer tokens for programs
/// (listed without their secrets; a new one's secret is shown once; revoked by id). The same
/// service calls as `POST /api/account/password` and `/api/tokens`.
extension MusterServer {
    func registerAccountPages(_ routes: WebRoutes) {
        routes.add(.get, "/account/password", .signedIn) { call in
            call.page("password", title: "Change your password", [:])
        }
        routes.add(.post, "/account/password", .signedIn) { call in
            guard let session = try call.caller().session else { throw Problem.forbidden("change the password from your own session") }
            var errors: [String: String] = [:]
            let current = call.form.raw("current") ?? ""
            let new = call.form.raw("password") ?? ""
            if current.isEmpty { errors["currentError"] = "type your current password" }
            if new.isEmpty { errors["passwordError"] = "type the new password" }
            if new != (call.form.raw("again") ?? "") { errors["againError"] = "the two new passwords differ; type the same password twice" }
            if errors.isEmpty {
                do {
                    _ = try await call.lease.accounts.changePassword(session, current: current, new: new, address: call.context.clientAddress)
                    return HTML.redirect("/account/password?done=password")
                } catch let error as AccountError {
                    // A wrong current password is answered beside that field; the new one's rule beside the new one.
                    errors[error.code == .passwordRejected ? "passwordError" : "currentError"] = error.message
                    let problem = Problem.account(error)
                    return call.page("password", title: "Change your password", errors, status: problem.status)
                }
            }
            return call.page("password", title: "Change your password", errors, status: .unprocessableContent)
        }
        routes.add(.get, "/account/tokens", .signedIn) { call in
            try await Self.tokensPage(call, [:])
        }
        routes.add(.post, "/account/tokens", .signedIn) { call in
            let identity = try call.caller()
            guard identity.session != nil else { throw Problem.forbidden("create tokens from your own session, not with a token") }
            let name = call.form.string("name") ?? ""
            guard let ceiling = Role(rawValue: call.form.string("ceiling") ?? "") else {
                return try await Self.tokensPage(call, ["ceilingError": "choose a role", "nameValue": name], status: .unprocessableContent)
            }
            guard let days = Int(call.form.string("days") ?? "90"), (1...90).contains(days) else {
                return try await Self.tokensPage(call, ["daysError": "a token lives 1 to 90 days", "nameValue": name], status: .unprocessableContent)
            }
            do {
                let token = try await call.lease.accounts.createToken(
                    for: identity.actor.id, name: name, ceiling: ceiling, lifetime: TimeInterval(days) * 86_400, roster: identity.roster)
                return try await Self.tokensPage(
                    call, ["created": ["name": token.info.name, "secret": token.token, "expires": Self.stamp(token.info.expiresAt)]],
                    status: .created)
            } catch let error as AccountError {
                return try await Self.tokensPage(call, ["nameError": error.message, "nameValue": name], status: Problem.account(error).status)
            }
        }
        routes.add(.post, "/account/tokens/{id}/revoke", .signedIn) { call in
            guard let id = UUID(uuidString: try call.requirePerson()) else { throw Problem.badRequest("a token id is a UUID", field: "id") }
            try await call.lease.accounts.revokeToken(id, of: try call.caller().actor.id)
            return HTML.redirect("/account/tokens?done=revoked")
        }
    }

    /// The caller's tokens, newest first: never a secret, except the one just created.
    static func tokensPage(_ call: WebCall, _ extra: [String: Any], status: HTTPResponse.Status = .ok) async throws -> Response {
        let identity = try call.caller()
        let now = Date()
        var values = extra
        values["tokens"] = try await call.lease.accounts.tokens(of: identity.actor.id).map { token in
            let state =
                token.revokedAt.map { "revoked \(stamp($0))" } ?? (token.expiresAt <= now ? "expired" : "live")
            return [
                "id": token.id.uuidString.lowercased(), "name": token.name, "ceiling": token.ceiling.description,
                "created": stamp(token.createdAt), "expires": stamp(token.expiresAt), "state": state, "live": state == "live",
            ] as [String: Any]
        }
        values["roles"] = Role.allCases.map { ["value": $0.rawValue, "label": $0.description, "selected": $0 == identity.actor.role] }
        return call.page("tokens", title: "API tokens", values, status: status)
    }
}
