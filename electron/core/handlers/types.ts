import type { Channel, ChannelOutput, ParsedInput } from '../../../shared/contract';
import type { Context } from './context';

export type Handler<C extends Channel> = (
  input: ParsedInput<C>,
  ctx: Context,
) => ChannelOutput<C> | Promise<ChannelOutput<C>>;

/** Every channel's handler: a missing or mistyped one is a compile error. */
export type Handlers = { [C in Channel]: Handler<C> };

/** The handlers of the channels whose names start with a prefix, e.g. 'people:'. */
export type HandlersFor<P extends string> = { [C in Extract<Channel, `${P}${string}`>]: Handler<C> };
