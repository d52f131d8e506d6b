import TrainingDomain
import TrainingServices

extension WebCall {
    /// The policies in force, from the server's cache.
    func policies() async throws -> PolicyBook { try await server.policyBooks.current(from: lease.services.store) }
}
