import Foundation
import Hummingbird
import TrainingDomain
import TrainingProjections
import TrainingRecords
import TrainingServices

/// The chief's releases: requests awaiting concurrence, each with the FTO's attestation; concur
/// or decline (a signature).
extension MusterServer {
    func registerChiefPages(_ routes: WebRoutes) {
        let server = self
        routes.add(.get, "/chief", .action(.concurInSoloRelease)) { call in
            // Only a trainee whose solo gates all pass can have a request pending: read those
            // from the board, then their files.
            let candidates = try await call.lease.readModels.readiness(withinDays: 36_500, limit: 500).filter(\.blockers.isEmpty)
            var pending: [[String: Any]] = []
            for row in candidates {
                let (file, _) = try await call.lease.services.training.load(.trainee(TraineeID(row.trainee)))
                guard let training = file.fieldTraining, let request = training.pendingRelease else { continue }
                pending.append([
                    "trainee": row.trainee, "name": row.name, "badge": row.badge, "requested": request.on.description,
                    "by": request.requestedBy.rawValue, "statement": request.statement,
                ])
            }
            return call.page("chief", title: "Releases awaiting concurrence", ["pending": pending, "none": pending.isEmpty])
        }
        routes.add(.get, "/trainees/{id}/release", .action(.concurInSoloRelease), view: "release") { call in
            let person = try call.requirePerson()
            let (file, _) = try await call.lease.services.training.load(.trainee(TraineeID(person)))
            try await server.logRead(
                call.lease, call.identity, person: person, view: "release", result: file.profile == nil ? "not-found" : "ok", call.context)
            guard let profile = file.profile, let training = file.fieldTraining else {
                throw Problem.notFound("no trainee \(person) in field training")
            }
            let values: [String: Any] = [
                "trainee": person, "name": profile.name, "badge": profile.badge,
                "attestation": training.attestation.map { "FTO \($0.fto) on \($0.on): \(training.attestationStatement ?? "")" } ?? "",
                "pending": training.pendingRelease != nil, "requested": training.pendingRelease?.on.description ?? "",
                "by": training.pendingRelease?.requestedBy.rawValue ?? "", "statement": training.pendingRelease?.statement ?? "",
                "cleared": training.soloClearance.map { "Cleared for solo patrol on \($0.on)" } ?? "",
                "concurKey": WebCall.newKey(), "declineKey": WebCall.newKey(), "back": "/chief",
                "mayDecline": call.may(.declineSoloRelease, on: person),
            ]
            return call.page("release", title: "Release of \(profile.name)", values)
        }
    }
}
