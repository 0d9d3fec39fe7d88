#if canImport(Glibc)
import Glibc
#endif

/// A joinable OS thread. Readers block in poll() and read(), so they get
/// threads of their own rather than tasks on Swift's cooperative pool.
final class ReaderThread {
    private var thread = pthread_t()

    /// Starts `body` on a new thread; `name` only appears in errors.
    init(name: String, body: @escaping () -> Void) throws(SystemError) {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        let rc = pthread_create(&thread, nil, { raw in
            Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, box)
        guard rc == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            throw SystemError(call: "pthread_create", path: name, errno: rc)
        }
    }

    /// Waits for the thread to return.
    func join() {
        _ = pthread_join(thread, nil)
    }

    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }
}
