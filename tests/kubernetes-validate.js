// SPDX-License-Identifier: MIT
// Checks Kubernetes manifests offline against the API's OpenAPI schema (kubernetes-models), and our policy.
//
// Usage: node kubernetes-validate.js NODE_MODULES FILE...
// Each YAML document becomes the kubernetes-models (or @kubernetes-models/prometheus-operator)
// class of its apiVersion and kind, whose validate() runs the JSON schema of that type from
// the Kubernetes OpenAPI spec (or the operator's CRD). Those schemas allow unknown fields, so
// the policy checks below look up each security-relevant field by name and fail if it is absent.
'use strict';
const path = require('path');
const fs = require('fs');
const { pathToFileURL } = require('url');
const modules = process.argv[2];
const yaml = require(path.join(modules, 'js-yaml'));

// The packages are ES modules, one file per kind: import() them, which Node.js has long had (a
// require() of an ES module needs 20.19 or later).
async function modelOf(apiVersion, kind) {
	const dir = apiVersion === 'monitoring.coreos.com/v1'
		? '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1'
		: 'kubernetes-models/' + apiVersion;
	const file = path.join(modules, dir, kind + '.js');
	if (!/^[A-Za-z0-9]+$/.test(kind) || !fs.existsSync(file))
		throw new Error(`no schema for ${apiVersion} ${kind}`);
	const model = (await import(pathToFileURL(file).href))[kind];
	if (!model)
		throw new Error(`${file} has no ${kind}`);
	return model;
}

function podSpecOf(doc) {
	if (doc.kind === 'Pod')
		return doc.spec;
	if (doc.spec && doc.spec.template)
		return doc.spec.template.spec;
	return null;
}

// What every container we ship must say about itself.
function checkPolicy(doc) {
	const spec = podSpecOf(doc);
	if (!spec)
		return;
	const hostPaths = new Set((spec.volumes || []).filter((v) => v.hostPath).map((v) => v.name));
	for (const c of spec.containers) {
		const where = `${doc.kind}/${doc.metadata.name} container ${c.name}`;
		const sc = c.securityContext || {};
		if (sc.allowPrivilegeEscalation !== false)
			throw new Error(`${where}: allowPrivilegeEscalation must be false`);
		const caps = sc.capabilities || {};
		if (!(caps.drop || []).includes('ALL'))
			throw new Error(`${where}: capabilities must drop ALL`);
		const added = (caps.add || []).filter((cap) => cap !== 'SYS_PTRACE');
		if (added.length)
			throw new Error(`${where}: adds ${added.join(', ')}; only SYS_PTRACE is justified`);
		if (sc.privileged)
			throw new Error(`${where}: privileged`);
		for (const m of c.volumeMounts || [])
			if (hostPaths.has(m.name) && m.readOnly !== true)
				throw new Error(`${where}: host path ${m.name} is not mounted readOnly`);
		if (c.image.includes('idle-exporter') && sc.readOnlyRootFilesystem !== true)
			throw new Error(`${where}: the exporter's root must be read-only`);
	}
}

async function main() {
	let count = 0;
	for (const file of process.argv.slice(3)) {
		for (const doc of yaml.loadAll(fs.readFileSync(file, 'utf8'))) {
			if (!doc)
				continue;
			const what = `${path.basename(file)}: ${doc.kind}/${doc.metadata && doc.metadata.name}`;
			try {
				const Model = await modelOf(doc.apiVersion, doc.kind);
				new Model(doc).validate();
				checkPolicy(doc);
			} catch (e) {
				console.error(`${what}: ${e.message}`);
				process.exit(1);
			}
			console.log(`valid: ${path.basename(file)} ${doc.apiVersion} ${doc.kind}/${doc.metadata.name}`);
			count++;
		}
	}
	if (count === 0) {
		console.error('no manifest checked');
		process.exit(1);
	}
}

main().catch((e) => {
	console.error(e.stack || e.message);
	process.exit(1);
});
