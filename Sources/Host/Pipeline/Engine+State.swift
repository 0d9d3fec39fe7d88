/// Plugins' durable state (file positions, the journal cursor), written by the audit writer.
extension Engine {
    /// Queues a plugin's state write behind the events queued before it, so a saved file
    /// position is never stored ahead of the events it covers: a crash loses neither.
    func setState(plugin: String, key: String, value: String?) {
        let job = AuditJob.state(plugin: plugin, key: key, value: value)
        if isRunning && !onPipelineThread && inbox.put(.call { $0.audit.submit(job) }) { return }
        audit.submit(job)
    }

    /// A plugin's state, once every write queued before this call is stored.
    func state(plugin: String, key: String) throws -> String? {
        if isRunning {
            if onPipelineThread { audit.sync() } else { _ = onPipeline { $0.audit.sync() } }
        }
        return try store.state(plugin: plugin, key: key)
    }
}
