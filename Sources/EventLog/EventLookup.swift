/// Finds streams by fields of their events' payloads: what a uniqueness rule asks before it
/// decides (is this badge number held?). The database enforces the same rule with a unique
/// index, so a race between two writers still ends in one refusal.
public protocol EventLookup: Sendable {
    /// Streams holding an event of `type` whose payload has every field equal to the text given.
    func streams(ofType type: String, matching fields: [(field: String, value: String)]) async throws -> [StreamID]
}
