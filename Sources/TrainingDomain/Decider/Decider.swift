/// A decider: the state a stream folds into, the commands it accepts, and the two pure
/// functions between them. `decide` says what to record (or which rule refuses it) and
/// `evolve` folds a recorded entry into the state. The service layer runs every decider
/// through one load → decide → append → retry loop.
public protocol Decider {
    associatedtype State: Sendable
    associatedtype Command: Sendable

    /// The state of a stream with no entries.
    static var initial: State { get }
    static func decide(_ command: Command, _ state: State, _ context: CommandContext) throws(DomainError) -> [Entry]
    static func evolve(_ state: inout State, _ entry: Entry)
    /// Makes room in `state` for about `entries` more entries before a fold (a hint; the
    /// default does nothing).
    static func reserve(_ state: inout State, entries: Int)
}

extension Decider {
    /// Folds entries in order, from `state`. Inlinable, so each decider's fold is specialized
    /// where it is called (replays and rebuilds fold millions of entries).
    @inlinable
    public static func fold(_ entries: some Sequence<Entry>, into state: State) -> State {
        var state = state
        fold(entries, onto: &state)
        return state
    }

    /// Folds entries in order into `state` in place (no copy of a large state, as long as
    /// nothing else holds it).
    @inlinable
    public static func fold(_ entries: some Sequence<Entry>, onto state: inout State) {
        reserve(&state, entries: entries.underestimatedCount)
        for entry in entries { evolve(&state, entry) }
    }

    @inlinable
    public static func fold(_ entries: some Sequence<Entry>) -> State { fold(entries, into: initial) }

    @inlinable
    public static func reserve(_ state: inout State, entries: Int) {}
}

/// Stamps each new entry with the context's next id, the business day and the actor.
struct Recorder {
    let context: CommandContext

    func entries(_ events: [(TrainingEvent, Day)]) throws(DomainError) -> [Entry] {
        guard context.newEntryIDs.count >= events.count else {
            throw DomainError(.invalidInput, "too few entry ids were supplied with the command")
        }
        return zip(context.newEntryIDs, events).map { id, event in
            Entry(id: id, occurredOn: event.1, actor: context.actor, event: event.0)
        }
    }
}
