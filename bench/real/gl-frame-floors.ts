// The two floors of the gl-matrix frame (examples/gl-matrix-frame.ts), line for line the same
// math as frameIdiomatic and frameArena: the ten-line JavaScript bump, and the hand-preallocated
// temporaries experts write (module-level, made once). Each is written out on its own so that V8
// inlines its allocations into its loop.

import { mat3, mat4, quat, vec3, vec4 } from "gl-matrix";
import { INSTANCE_FLOATS, type World } from "../../examples/gl-matrix-frame";
import type { JsBump } from "./js-bump";

const MAX_SPEED = 4;
const STEERING = 0.08;
const UP = vec3.fromValues(0, 1, 0);
const ORIGIN = vec4.fromValues(0, 0, 0, 1);

/** The frame with temporaries from a JavaScript bump over one ArrayBuffer; the caller resets it. */
export function frameJsBump(world: World, scratch: JsBump): number {
  const { entities, target, viewProjection, instances, dt } = world;
  let visible = 0;
  for (let i = 0; i < entities.length; i++) {
    const e = entities[i];
    const toTarget = scratch.f32(3);
    vec3.subtract(toTarget, target, e.position);
    const desired = scratch.f32(3);
    vec3.scale(desired, vec3.normalize(desired, toTarget), MAX_SPEED);
    const steer = scratch.f32(3);
    vec3.scale(steer, vec3.subtract(steer, desired, e.velocity), STEERING);
    vec3.add(e.velocity, e.velocity, steer);
    const step = scratch.f32(3);
    vec3.add(e.position, e.position, vec3.scale(step, e.velocity, dt));
    const axis = scratch.f32(3);
    vec3.normalize(axis, vec3.cross(axis, e.velocity, UP));
    const spin = scratch.f32(4);
    quat.setAxisAngle(spin, axis, e.spin * dt);
    const rotation = scratch.f32(4);
    quat.normalize(e.rotation, quat.multiply(rotation, e.rotation, spin));
    const model = scratch.f32(16);
    mat4.fromRotationTranslationScale(model, e.rotation, e.position, e.scale);
    const mvp = scratch.f32(16);
    mat4.multiply(mvp, viewProjection, model);
    const clip = scratch.f32(4);
    vec4.transformMat4(clip, ORIGIN, mvp);
    const w = clip[3];
    if (w <= 0 || clip[0] < -w || clip[0] > w || clip[1] < -w || clip[1] > w || clip[2] < -w || clip[2] > w) continue;
    const normal = scratch.f32(9);
    mat3.normalFromMat4(normal, model);
    instances.set(mvp, visible * INSTANCE_FLOATS);
    instances.set(normal, visible * INSTANCE_FLOATS + 16);
    visible++;
  }
  return visible;
}

const toTarget = vec3.create(), desired = vec3.create(), steer = vec3.create(), step = vec3.create(), axis = vec3.create();
const spin = quat.create(), rotation = quat.create(), model = mat4.create(), mvp = mat4.create();
const clip = vec4.create(), normal = mat3.create();

/** The frame with module-level temporaries, made once: what an expert writes, and the floor. */
export function framePreallocated(world: World): number {
  const { entities, target, viewProjection, instances, dt } = world;
  let visible = 0;
  for (let i = 0; i < entities.length; i++) {
    const e = entities[i];
    vec3.subtract(toTarget, target, e.position);
    vec3.scale(desired, vec3.normalize(desired, toTarget), MAX_SPEED);
    vec3.scale(steer, vec3.subtract(steer, desired, e.velocity), STEERING);
    vec3.add(e.velocity, e.velocity, steer);
    vec3.add(e.position, e.position, vec3.scale(step, e.velocity, dt));
    vec3.normalize(axis, vec3.cross(axis, e.velocity, UP));
    quat.setAxisAngle(spin, axis, e.spin * dt);
    quat.normalize(e.rotation, quat.multiply(rotation, e.rotation, spin));
    mat4.fromRotationTranslationScale(model, e.rotation, e.position, e.scale);
    mat4.multiply(mvp, viewProjection, model);
    vec4.transformMat4(clip, ORIGIN, mvp);
    const w = clip[3];
    if (w <= 0 || clip[0] < -w || clip[0] > w || clip[1] < -w || clip[1] > w || clip[2] < -w || clip[2] > w) continue;
    mat3.normalFromMat4(normal, model);
    instances.set(mvp, visible * INSTANCE_FLOATS);
    instances.set(normal, visible * INSTANCE_FLOATS + 16);
    visible++;
  }
  return visible;
}
