import Foundation
import Hummingbird
import TrainingDomain
import TrainingRecords
import TrainingServices

/// A trainee's reports: read, acknowledge (sign) or refuse with a reason, rebut.
extension MusterServer {
    func registerTraineePages(_ routes: WebRoutes) {
        let server = self
        routes.add(.get, "/trainees/{id}/reports", .action(.readDORs), view: "dors") { call in
            let person = try call.requirePerson()
            let (file, _) = try await call.lease.services.training.load(.trainee(TraineeID(person)))
            try await server.logRead(
                call.lease, call.identity, person: person, view: "dors", result: file.profile == nil ? "not-found" : "ok", call.context)
            guard let profile = file.profile else { throw Problem.notFound("no trainee \(person)") }
            let back = "/trainees/\(person)/reports"
            // The trainee signs; a refusal to sign is noted by an FTO or the sergeant (the rules
            // say so), with the trainee's reason; the trainee answers in a rebuttal.
            let role = call.identity?.actor.role
            let mayAck = call.may(.acknowledgeDailyObservation, on: person) && role == .trainee
            let mayNoteRefusal = call.may(.acknowledgeDailyObservation, on: person) && (role == .fto || role == .trainingSergeant)
            let mayRebut = call.may(.fileRebuttal, on: person)
            let reports: [[String: Any]] = (file.fieldTraining?.dorsInOrder ?? []).reversed().map { dor in
                let acknowledgement = dor.acknowledgement.map {
                    ($0.signed ? "Signed by the trainee on " : "Refused on ") + $0.on.description + ($0.note.map { ": \($0)" } ?? "")
                }
                return [
                    "entry": dor.id.rawValue, "date": dor.shiftDate.description, "fto": dor.fto.rawValue, "phase": dor.phase,
                    "ratings": dor.ratings.sorted { $0.key < $1.key }.map {
                        ["category": WebCall.label($0.key.rawValue), "rating": $0.value.description]
                    },
                    "narrative": dor.narrative, "acknowledged": acknowledgement ?? "", "pending": dor.acknowledgement == nil,
                    "amended": dor.amended, "rebuttals": dor.rebuttals.map { ["text": $0] },
                    "mayAck": mayAck && dor.acknowledgement == nil, "mayNoteRefusal": mayNoteRefusal && dor.acknowledgement == nil,
                    "mayRebut": mayRebut, "ackKey": WebCall.newKey(), "refuseKey": WebCall.newKey(),
                    "rebutKey": WebCall.newKey(),
                ]
            }
            return call.page(
                "reports", title: "Reports of \(profile.name)",
                ["trainee": person, "reports": reports, "none": reports.isEmpty, "back": back, "traineeSelf": call.identity?.actor.role == .trainee])
        }
    }
}
