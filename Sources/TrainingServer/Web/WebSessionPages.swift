import Foundation
import Hummingbird
import TrainingDomain
import TrainingServices

/// Signing in and out, enrollment with the one-time code, and re-entering the password.
extension MusterServer {
    func registerSessionPages(_ routes: WebRoutes) {
        let server = self
        routes.add(.get, "/signin", .open) { call in
            call.page("signin", title: "Sign in", ["next": HTML.safeLocal(call.query("next")) ?? ""])
        }
        routes.add(.post, "/signin", .open) { call in
            let next = HTML.safeLocal(call.form.string("next"))
            let user = OfficerID(call.form.string("user") ?? "")
            do {
                guard user.isWellFormedUserID else { throw AccountError(.invalidCredentials, "wrong user id or password") }
                let roster = try await server.rosters.current(from: call.lease.services.store)
                let signIn = try await call.lease.accounts.signIn(
                    user, password: call.form.raw("password") ?? "", code: call.form.string("code"), address: call.context.clientAddress,
                    roster: roster)
                let role = roster.member(user)?.role ?? .trainee
                var response = HTML.redirect(next ?? WebNavigation.home(role, user: user.rawValue))
                response.setCookie(server.cookie(signIn.token, maxAge: Int(server.configuration.accounts.absoluteTimeout)))
                return response
            } catch let error as AccountError {
                let problem = Problem.account(error)
                return call.page(
                    "signin", title: "Sign in", ["next": next ?? "", "userValue": user.rawValue, "error": problem.detail], status: problem.status)
            }
        }
        routes.add(.post, "/signout", .signedIn) { call in
            if let session = try call.caller().session { try await call.lease.accounts.signOut(session) }
            var response = HTML.redirect("/signin?done=signed-out")
            response.setCookie(server.cookie("", maxAge: 0))
            return response
        }
        routes.add(.get, "/enroll", .open) { call in call.page("enroll", title: "Set your password", [:]) }
        routes.add(.post, "/enroll", .open) { call in
            let user = call.form.string("user") ?? ""
            do {
                guard call.form.raw("password") == call.form.raw("again") else {
                    throw AccountError(.passwordRejected, "the two passwords differ; type the same password twice")
                }
                let roster = try await server.rosters.current(from: call.lease.services.store)
                try await call.lease.accounts.enroll(
                    OfficerID(user), code: call.form.string("code") ?? "", password: call.form.raw("password") ?? "", roster: roster)
                return HTML.redirect("/signin?done=enrolled")
            } catch let error as AccountError {
                let problem = Problem.account(error)
                return call.page("enroll", title: "Set your password", ["userValue": user, "error": problem.detail], status: problem.status)
            }
        }
        routes.add(.get, "/confirm", .signedIn) { call in
            call.page("confirm", title: "Confirm it is you", ["back": HTML.safeLocal(call.query("next")) ?? "/"])
        }
        routes.add(.post, "/confirm", .signedIn) { call in
            let back = HTML.safeLocal(call.form.string("_back")) ?? "/"
            guard let session = try call.caller().session else { throw Problem.forbidden("only a session confirms") }
            do {
                _ = try await call.lease.accounts.confirm(
                    session, password: call.form.raw(WebCall.passwordField), code: call.form.string("code"), address: call.context.clientAddress)
            } catch let error as AccountError {
                let problem = Problem.account(error)
                return call.page("confirm", title: "Confirm it is you", ["back": back, "error": problem.detail], status: problem.status)
            }
            return HTML.redirect(back + (back.contains("?") ? "&" : "?") + "done=confirmed")
        }
    }
}
