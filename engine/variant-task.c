/* A variant's task memory: tasks in blocks, what few use on the side. */
#include "config.h"

#include <stdlib.h>

#include "variant-int.h"

struct task *
variant_task_new(struct variant *s, const struct proc *p, enum task_kind kind,
    struct task *creator)
{
	struct task		*t;
	struct task_block	*b = s->blocks;
	struct trace_event	 ev = { 0 };

	if (b == NULL || b->used == TASK_BLOCK) {
		if ((b = calloc(1, sizeof *b)) == NULL)
			return NULL;
		b->next = s->blocks;
		s->blocks = b;
	}
	t = &b->tasks[b->used++];	/* zeroed by calloc, never reused */
	t->id = ++s->next_id;
	t->proc = p;
	t->kind = kind;
	t->state = TASK_CREATED;
	t->heap_index = TASK_NO_HEAP;
	if (kind == TASK_KIND_TASK) {
		t->root = t;
		t->link = t;
	}
	ev.type = TRACE_TASK_CREATE;
	ev.task = t->id;
	ev.other = creator != NULL ? creator->id : 0;
	ev.a = kind;
	ev.text = p->name;
	ev.line = creator != NULL ? (uint16_t)variant_line(creator) : 0;
	variant_emit(s, &ev);
	return t;
}

void
variant_iter_init(struct variant *s, struct task_iter *it)
{
	it->block = s->blocks;
	it->left = it->block != NULL ? it->block->used : 0;
}

/* The next task of the walk, or NULL at its end. */
struct task *
variant_iter(struct task_iter *it)
{
	while (it->block != NULL) {
		if (it->left > 0)
			return &it->block->tasks[--it->left];
		if ((it->block = it->block->next) != NULL)
			it->left = it->block->used;
	}
	return NULL;
}

/* What few tasks use, made at the first use; NULL: no memory. */
struct task_more *
variant_more(struct task *t)
{
	if (t->more == NULL)
		t->more = calloc(1, sizeof *t->more);
	return t->more;
}

void
variant_more_free(struct task_more *m)
{
	if (m == NULL)
		return;
	free(m->kids);
	free(m->slots);
	free(m->value);
	free(m->error);
	free(m->pending_error);
	if (m->landed != NULL) {
		fetch_result_clear(m->landed);
		free(m->landed);
	}
	free(m);
}

/* A task's last result, or NULL. */
const char *
variant_value(const struct task *t)
{
	return t->more != NULL ? t->more->value : NULL;
}

/* What a task raised, or NULL. */
char *
variant_raised(const struct task *t)
{
	return t->more != NULL ? t->more->error : NULL;
}

/* The GET a root awaits, or NULL. */
struct fetch *
variant_fetch_of(const struct task *t)
{
	return t->more != NULL ? t->more->fetch : NULL;
}

/* The task's value becomes v (owned; dropped when there is no memory). */
void
variant_set_value(struct task *t, char *v)
{
	struct task_more	*m;

	if (v == NULL && t->more == NULL)
		return;
	if ((m = variant_more(t)) == NULL) {
		free(v);
		return;
	}
	free(m->value);
	m->value = v;
}

/* Take an exception left to raise when the frame runs, or NULL. */
char *
variant_take_pending(struct task *f)
{
	char	*why;

	if (f->more == NULL || f->more->pending_error == NULL)
		return NULL;
	why = f->more->pending_error;
	f->more->pending_error = NULL;
	return why;
}

/* Name a task in a frame's slot; the slots come at the first. */
int
variant_slot_set(struct task *f, int slot, struct task *t)
{
	struct task_more	*m;

	if ((m = variant_more(f)) == NULL)
		return -1;
	if (m->slots == NULL &&
	    (m->slots = calloc(PROGRAM_SLOTS, sizeof *m->slots)) == NULL)
		return -1;
	m->slots[slot] = t;
	return 0;
}

/* The task in a frame's slot, or NULL. */
struct task *
variant_slot_get(const struct task *f, int slot)
{
	if (f->more == NULL || f->more->slots == NULL)
		return NULL;
	return f->more->slots[slot];
}
