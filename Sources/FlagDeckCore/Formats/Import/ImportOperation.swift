import Foundation

/// Applying an `ImportPlan`: one transaction for the whole plan, one audit event per
/// changed (flag, environment) with action `import`, plus `env.create` / `flag.create`
/// for what did not exist. A cell whose current export already equals the file's
/// feature is left alone, so re-importing the same tree writes nothing at all.
extension Operations {
    public static let importAction = "import"

    /// Returns the changes made (or, with `dryRun`, the changes that would be made).
    @discardableResult
    public func importPlan(_ plan: ImportPlan, dryRun: Bool = false, reason: String = "") throws -> [ImportChange] {
        let preview = try store.read { r in try importDiff(r, plan) }
        if dryRun || preview.isEmpty { return preview }
        let now = clock()
        return try recordingDenial(action: Self.importAction, flag: nil, env: nil, reason: reason) {
            try store.write { w in try applyImport(w, plan, now: now, reason: reason) }
        }
    }

    func importDiff(_ r: any StoreReading, _ plan: ImportPlan) throws -> [ImportChange] {
        var out: [ImportChange] = []
        let envs = Set(try r.environments().map(\.id))
        for e in plan.environments where !envs.contains(e) { out.append(ImportChange(kind: .createEnvironment, env: e.path)) }
        var flags: [String: Flag] = [:]
        for f in try r.flags() { flags[f.key] = f }
        for m in plan.flags {
            if let f = flags[m.key] {
                if let next = applyMeta(m, to: f), next != f {
                    out.append(ImportChange(kind: .updateFlag, flag: m.key, before: StateJSON.encode(f), after: StateJSON.encode(next)))
                }
            } else {
                out.append(ImportChange(kind: .createFlag, flag: m.key))
            }
        }
        for c in plan.cells {
            let kind = plan.flags.first { $0.key == c.flagKey }?.valueKind ?? .boolean
            let current = envs.contains(c.env) && flags[c.flagKey] != nil ? try r.state(flag: c.flagKey, env: c.env) : nil
            let base = current ?? FlagState(flagKey: c.flagKey, env: c.env, changedAt: Date(timeIntervalSince1970: 0), changedBy: "")
            if let next = importedState(base, c.definition, kind: kind) {
                out.append(ImportChange(kind: .updateCell, flag: c.flagKey, env: c.env.path,
                                        before: StateJSON.summary(base), after: StateJSON.encode(next)))
            }
        }
        return out
    }

    /// The cell after import, or nil when the file already describes it.
    func importedState(_ s: FlagState, _ d: PowertoolsMapping.CellDefinition, kind: ValueKind) -> FlagState? {
        var next = s
        next.enabled = d.enabled
        next.rules = d.rules
        next.defaultValue = d.defaultValue
        if d.enabled { next.rolloutBasisPoints = d.rolloutBasisPoints }
        let (wantFeature, _) = PowertoolsMapping.feature(kind: kind, state: { var x = next; x.killed = false; return x }())
        let (haveFeature, _) = PowertoolsMapping.feature(kind: kind, state: { var x = s; x.killed = false; return x }())
        if JSONWriter.compact(wantFeature) == JSONWriter.compact(haveFeature) { return nil }
        // An exported killed cell reads "off". Re-importing that file must not turn the
        // kill into "disabled underneath", or a later unkill would not restore the
        // pre-kill state. So a killed cell whose file says exactly what we export for it
        // is unchanged.
        if s.killed {
            let (exported, _) = PowertoolsMapping.feature(kind: kind, state: s)
            if JSONWriter.compact(wantFeature) == JSONWriter.compact(exported) { return nil }
        }
        // A killed cell stays killed; the import changes what is underneath.
        return next
    }

    func applyMeta(_ m: ImportPlan.FlagMeta, to f: Flag) -> Flag? {
        var next = f
        if let d = m.description { next.description = d }
        if let o = m.owner { next.owner = o }
        if let deps = m.dependsOn { next.dependsOn = deps }
        next.valueKind = m.valueKind
        return next
    }

    func applyImport(_ w: any StoreWriting, _ plan: ImportPlan, now: Date, reason: String) throws -> [ImportChange] {
        var out: [ImportChange] = []
        var envs = try w.environments()
        for e in plan.environments where !envs.contains(where: { $0.id == e }) {
            try authorize(w, env: e, action: "create environments")
            let env = Environment(id: e, displayOrder: (envs.map(\.displayOrder).max() ?? 0) + 1, isProtected: false)
            try w.insert(env)
            for f in try w.flags() {
                try w.save(FlagState(flagKey: f.key, env: e, changedAt: now, changedBy: actor.name))
            }
            try w.append(AuditDraft(at: now, actor: actor, action: AuditAction.envCreate, flag: nil, env: e.path,
                                    before: nil, after: StateJSON.encode(env), reason: reason.isEmpty ? "import" : reason))
            envs.append(env)
            out.append(ImportChange(kind: .createEnvironment, env: e.path))
        }
        var existing = try w.flags()
        var created: [Flag] = []
        for m in plan.flags {
            if let f = existing.first(where: { $0.key == m.key }) {
                guard let next = applyMeta(m, to: f), next != f else { continue }
                try authorizeAny(w, action: "edit flags")
                var n = next
                n.version = f.version + 1
                try w.update(n)
                try w.append(AuditDraft(at: now, actor: actor, action: Self.importAction, flag: f.key, env: nil,
                                        before: StateJSON.encode(f), after: StateJSON.encode(n), reason: reason))
                out.append(ImportChange(kind: .updateFlag, flag: f.key, before: StateJSON.encode(f), after: StateJSON.encode(n)))
                continue
            }
            try authorizeAny(w, action: "create flags")
            try FlagKey.validate(m.key)
            let flag = Flag(key: m.key, description: m.description ?? "", owner: m.owner, createdAt: now,
                            dependsOn: m.dependsOn ?? [], valueKind: m.valueKind)
            try w.insert(flag)
            for env in envs {
                try w.save(FlagState(flagKey: flag.key, env: env.id, changedAt: now, changedBy: actor.name))
            }
            try w.append(AuditDraft(at: now, actor: actor, action: AuditAction.flagCreate, flag: flag.key, env: nil,
                                    before: nil, after: StateJSON.encode(flag), reason: reason.isEmpty ? "import" : reason))
            created.append(flag)
            existing.append(flag)
            out.append(ImportChange(kind: .createFlag, flag: flag.key))
        }
        for f in created { try validateDependencies(of: f, against: existing.filter { $0.key != f.key }) }
        for c in plan.cells {
            guard let current = try w.state(flag: c.flagKey, env: c.env),
                  let env = envs.first(where: { $0.id == c.env }) else {
                throw FlagDeckError.internalInvariant("import: no cell for \(c.flagKey) in \(c.env)")
            }
            let kind = existing.first { $0.key == c.flagKey }?.valueKind ?? .boolean
            guard var next = importedState(current, c.definition, kind: kind) else { continue }
            try authorize(w, env: c.env, action: "import")
            if env.isProtected && reason.trimmingCharacters(in: .whitespaces).isEmpty {
                throw FlagDeckError.reasonRequired(action: "import into", env: env.id.path)
            }
            next.version = current.version + 1
            next.changedAt = now
            next.changedBy = actor.name
            try w.save(next)
            try w.append(AuditDraft(at: now, actor: actor, action: Self.importAction, flag: c.flagKey, env: c.env.path,
                                    before: StateJSON.encode(current), after: StateJSON.encode(next), reason: reason))
            out.append(ImportChange(kind: .updateCell, flag: c.flagKey, env: c.env.path,
                                    before: StateJSON.summary(current), after: StateJSON.encode(next)))
        }
        return out
    }
}
