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
        routes.add(.post, "/signout", .signedIn, allowUnenrolled: true) { call in
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
        routes.add(.get, "/confirm", .signedIn, allowUnenrolled: true) { call in
            call.page("confirm", title: "Confirm it is you", ["back": HTML.safeLocal(call.query("next")) ?? "/"])
        }
        routes.add(.post, "/confirm", .signedIn, allowUnenrolled: true) { call in
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
        registerSecondFactorPages(routes)
    }

    /// Enrolling a TOTP second factor: confirm the password, get the key (typed into an
    /// authenticator app), activate it with a current code.
    func registerSecondFactorPages(_ routes: WebRoutes) {
        routes.add(.get, "/account/second-factor", .signedIn, allowUnenrolled: true) { call in
            let session = try call.caller().session
            return call.page(
                "second-factor", title: "Second factor",
                ["active": session?.secondFactor ?? false, "required": call.server.mustEnrollSecondFactor(try call.caller())])
        }
        routes.add(.post, "/account/second-factor", .signedIn, allowUnenrolled: true) { call in
            guard var session = try call.caller().session else { throw Problem.forbidden("enroll a second factor from your own session") }
            do {
                if let code = call.form.string("code") {
                    _ = try await call.lease.accounts.activateSecondFactor(session, code: code)
                    return HTML.redirect("/?done=recorded")
                }
                if let password = call.form.raw(WebCall.passwordField) {
                    session = try await call.lease.accounts.confirm(session, password: password, code: nil, address: call.context.clientAddress)
                }
                let enrollment = try await call.lease.accounts.beginSecondFactor(session)
                return call.page("second-factor", title: "Second factor", ["secret": enrollment.secret, "url": enrollment.url])
            } catch let error as AccountError {
                return call.page(
                    "second-factor", title: "Second factor", ["error": Problem.account(error).detail], status: Problem.account(error).status)
            }
        }
    }
}
