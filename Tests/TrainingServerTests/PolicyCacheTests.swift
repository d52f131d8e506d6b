import Foundation
import Testing
import TrainingDomain
import TrainingServer
import TrainingServices

/// The server keeps the agency's policies in memory, current by the policy stream's version
/// read with each caller's credentials: a policy adopted anywhere else (the command line,
/// another server) rules the very next recording.
@Suite struct PolicyCacheTests {
    @Test("a policy adopted outside the server rules its next DOR")
    func adoptedElsewhereRulesNextDOR() async throws {
        try await TestServer.with { server in
            let chief = Actor(id: TestServer.chief, role: .chief)
            var lenient = TrainingPolicy.pasadenaDefault
            lenient.name = "Pasadena FTO program"
            try await server.muster.withServices(agency: TestServer.agency.rawValue) { services in
                _ = try await services.training.adopt(lenient, effective: Day("2025-01-01")!, by: chief)
            }
            let sergeant = try await server.signIn(.trainingSergeant)
            let trainee = try await SignatureTests.traineeInFieldTraining(server, sergeant: sergeant)
            let fto = try await server.signIn(.fto)
            // Ratings of 4 and 5: the policy in force (the server has it cached now) asks no
            // narrative for them.
            let first = try await server.record("/api/trainees/\(trainee)/ft/dor", as: fto, SignatureTests.dor)
            #expect(first.status == 201, "\(first.text)")

            // Another process adopts a stricter policy: a 5 now needs a narrative.
            var strict = TrainingPolicy.pasadenaDefault
            strict.name = "Narrate every 5"
            strict.fieldTraining.narrativeRequiredAbove = 4
            try await server.muster.withServices(agency: TestServer.agency.rawValue) { services in
                _ = try await services.training.adopt(strict, effective: Day("2025-06-01")!, by: chief)
            }

            var next = SignatureTests.dor
            next["date"] = "2025-06-25"
            let refused = try await server.record("/api/trainees/\(trainee)/ft/dor", as: fto, next)
            #expect(refused.status == 422, "\(refused.text)")
            #expect(refused.text.contains("need a narrative"), "\(refused.text)")

            next["narrative"] = "Took a domestic call from dispatch to report; calm, thorough, safe."
            let narrated = try await server.record("/api/trainees/\(trainee)/ft/dor", as: fto, next)
            #expect(narrated.status == 201, "\(narrated.text)")
        }
    }
}
