import Foundation
import Testing
import TrainingDomain
import TrainingServer
import TrainingServices

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The audit state on the reviewer's timeline, shown on every load without verifying again.
@Suite struct WebAuditStateTests {
    @Test("the reviewer's timeline shows the latest seal and the last verification on load, without verifying again")
    func auditState() async throws {
        try await TestServer.with { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let trainee = try await SignatureTests.traineeInFieldTraining(server, sergeant: sergeant)
            let web = WebClient(server)
            let reviewer = try await server.signIn(.complianceReviewer)
            let path = "/trainees/\(trainee)/timeline"
            let before = try await web.get(path, as: reviewer)
            #expect(before.status == 200)
            #expect(before.text.contains("The log has never been sealed."))
            #expect(before.text.contains("No verification since this server started."))
            let admin = try await server.signIn(.systemAdministrator)
            let seal = try await server.call("POST", "/api/audit/seal", as: admin)
            #expect(seal.status == 201, "\(seal.text)")
            let sealed = try await web.get(path, as: reviewer)
            #expect(sealed.text.contains("Latest seal: <strong>#\(seal.json["id"] as? Int ?? -1)</strong>"), "\(sealed.text)")
            #expect(sealed.text.contains("not signed"))
            #expect(sealed.text.contains("No verification since this server started."))
            let verified = try await web.get(path + "?verify=1", as: reviewer)
            #expect(verified.text.contains("the log verifies"))
            // Shown again on a plain load: read from what the server kept, not verified again.
            let again = try await web.get(path, as: reviewer)
            #expect(
                again.text.contains("Last verified") && again.text.contains("by \(TestServer.user(.complianceReviewer).rawValue): the log verifies"))
            #expect(again.header("Server-Timing")?.hasPrefix("app;dur=") == true)
        }
    }
}
