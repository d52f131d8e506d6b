import Foundation
import Testing
import TrainingDomain
import TrainingServer

/// Where the server's boards read: the read models it keeps current itself, from a replica when
/// one can answer, else from the primary.
@Suite struct ServerReadTests {
    /// The pipeline board's count of people, polled until it reaches `expected` (the projector
    /// applies entries moments after they are recorded) or 20 seconds pass.
    static func pipelineCount(_ server: TestServer, as caller: Caller, reaching expected: Int) async throws -> Int {
        var count = -1
        for _ in 0..<200 {
            let reply = try await server.call("GET", "/api/boards/pipeline", as: caller)
            #expect(reply.status == 200, "\(reply.text)")
            let rows = try #require(try JSONSerialization.jsonObject(with: reply.body) as? [[String: Any]])
            count = rows.compactMap { $0["count"] as? Int }.reduce(0, +)
            if count >= expected { return count }
            try await Task.sleep(for: .milliseconds(100))
        }
        return count
    }

    @Test("with the projector in the process, what a sergeant records shows on the boards without another program running")
    func projectorInProcess() async throws {
        let configure: @Sendable (inout ServerConfiguration) -> Void = { $0.runProjector = true }
        try await TestServer.with(configure: configure) { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            #expect(try await Self.pipelineCount(server, as: sergeant, reaching: 0) == 0)
            _ = try await server.hire(as: sergeant)
            _ = try await server.hire(as: sergeant)
            #expect(try await Self.pipelineCount(server, as: sergeant, reaching: 2) == 2)
        }
    }

    @Test(
        "a read URL that cannot answer (a primary, not a standby; a port nobody listens on): boards and the dashboard answer from the primary with the caller's own writes, and nothing is written there",
        arguments: ["not a standby", "unreachable"])
    func replicaFallback(_ kind: String) async throws {
        let unreachable = kind == "unreachable"
        let readURL: @Sendable (String) -> String = { primary in
            unreachable ? "postgresql://postgres@127.0.0.1:1/nowhere?connect_timeout=1" : primary
        }
        let configure: @Sendable (inout ServerConfiguration) -> Void = { $0.runProjector = true }
        try await TestServer.with(readURL: readURL, configure: configure) { server in
            let sergeant = try await server.signIn(.trainingSergeant)
            let before = try await server.eventCount()
            _ = try await server.hire(as: sergeant)
            #expect(try await server.eventCount() == before + 1, "the hire was recorded once, on the primary")
            #expect(try await Self.pipelineCount(server, as: sergeant, reaching: 1) == 1)
            let readiness = try await server.call("GET", "/api/boards/readiness?within=365", as: sergeant)
            #expect(readiness.status == 200, "\(readiness.text)")
            // The dashboard page reads the same way: from the primary here, the caller's hire counted.
            let dashboard = try await server.call("GET", "/dashboard", as: try await server.signIn(.commandStaff))
            #expect(dashboard.status == 200, "\(dashboard.text.prefix(300))")
            #expect(dashboard.text.contains("Recruits per stage") && dashboard.text.contains("<td>1</td>"), "\(dashboard.text)")
        }
    }
}
