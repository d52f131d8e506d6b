import Logging
import ServiceLifecycle
import TrainingServices

/// Keeps the read models current while `muster serve` runs (`ServerConfiguration.runProjector`):
/// the boards and pages a user opens after recording show what they recorded. A failure (the
/// database restarting) is logged and retried with a growing pause, never taking the API down;
/// graceful shutdown stops it. Run one projector per database: a second (another server, or
/// `muster projections run --follow`) waits on the checkpoint row each batch locks, so they never apply an entry twice.
struct ProjectorService: Service {
    let database: MusterDatabase
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var pause = Duration.milliseconds(500)
            while !Task.isCancelled {
                do {
                    try await database.followProjections(
                        caughtUp: { logger.info("projector caught up; following new entries") },
                        applied: { logger.debug("projector applied entries", metadata: ["count": "\($0)"]) })
                    return
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("projector stopped; retrying", metadata: ["error": "\(error)", "retry_in": "\(pause)"])
                    try? await Task.sleep(for: pause)
                    pause = min(pause * 2, .seconds(30))
                }
            }
        }
    }
}
